{#
    PII handling (LGPD). Raw emails, phones and names never leave staging:
    staging normalises them and keeps only a salted SHA-256 hash.

    The salt comes from the environment variable JORNADA_HASH_SALT. The
    default below is for the demo and local development only; production
    sets its own secret salt, and must keep it stable (a new salt gives every
    person new hashes).
#}

{% macro hash_salt() -%}
    {{ return(env_var('JORNADA_HASH_SALT', 'jornada-dev-salt-not-for-production')) }}
{%- endmacro %}

{# Salted SHA-256 (hex) of an already normalised text value; null stays null. #}
{% macro hash_pii(expression) -%}
    {{ return(adapter.dispatch('hash_pii', 'jornada')(expression)) }}
{%- endmacro %}

{% macro default__hash_pii(expression) -%}
    case when {{ expression }} is not null then sha256(concat('{{ hash_salt() }}', {{ expression }})) end
{%- endmacro %}

{% macro spark__hash_pii(expression) -%}
    case when {{ expression }} is not null then sha2(concat('{{ hash_salt() }}', {{ expression }}), 256) end
{%- endmacro %}

{# Email as an identity key: trimmed, lower-cased, empty as null. #}
{% macro normalize_email(expression) -%}
    nullif(lower(trim({{ expression }})), '')
{%- endmacro %}

{#
    Brazilian phone to E.164 (+55 + area code + subscriber number).
    Accepts what people and tools write: "+55 11 98765-4321", "(11) 98765-4321",
    "11987654321", "5511987654321", WhatsApp wa_ids. A mobile number written
    without the ninth digit (8 digits starting 6-9, the pre-2016 format that
    old WhatsApp ids still carry) gets it back, so both spellings of one
    number give one E.164 value. Anything else that is not 10 or 11 national
    digits gives null.
#}
{% macro normalize_phone_br(expression) -%}
    {%- set digits = jornada.regexp_replace_all("coalesce(" ~ expression ~ ", '')", "'[^0-9]'", "''") -%}
    {%- set national -%}
        case
            when length({{ digits }}) in (12, 13) and substr({{ digits }}, 1, 2) = '55'
                then substr({{ digits }}, 3)
            when length({{ digits }}) in (10, 11) then {{ digits }}
        end
    {%- endset -%}
    case
        when length({{ national }}) = 10 and substr({{ national }}, 3, 1) in ('6', '7', '8', '9')
            then concat('+55', substr({{ national }}, 1, 2), '9', substr({{ national }}, 3))
        when length({{ national }}) = 11 and substr({{ national }}, 3, 1) = '9'
            then concat('+55', {{ national }})
        when length({{ national }}) = 10
            then concat('+55', {{ national }})
    end
{%- endmacro %}
