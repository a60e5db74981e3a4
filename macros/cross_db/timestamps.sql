{#
    Parsing vendor timestamps to UTC `timestamp` (no time zone), the one
    representation every stored `_at` column uses. Unparseable input gives
    null (never an error), so base models can quarantine the row with a
    reason. Both adapters run with the session time zone set to UTC.
#}

{# Epoch seconds as text or number (SendGrid, WhatsApp, Stripe). #}
{% macro epoch_seconds_to_timestamp(expression) -%}
    {{ return(adapter.dispatch('epoch_seconds_to_timestamp', 'jornada')(expression)) }}
{%- endmacro %}

{% macro default__epoch_seconds_to_timestamp(expression) -%}
    cast(to_timestamp(try_cast({{ expression }} as double)) at time zone 'UTC' as timestamp)
{%- endmacro %}

{% macro spark__epoch_seconds_to_timestamp(expression) -%}
    timestamp_seconds(try_cast({{ expression }} as double))
{%- endmacro %}

{# Epoch microseconds (GA4 event_timestamp). #}
{% macro epoch_micros_to_timestamp(expression) -%}
    {{ return(adapter.dispatch('epoch_micros_to_timestamp', 'jornada')(expression)) }}
{%- endmacro %}

{% macro default__epoch_micros_to_timestamp(expression) -%}
    cast(make_timestamp(try_cast({{ expression }} as bigint)) as timestamp)
{%- endmacro %}

{% macro spark__epoch_micros_to_timestamp(expression) -%}
    timestamp_micros(try_cast({{ expression }} as bigint))
{%- endmacro %}

{#
    ISO 8601 text with or without offset ("2026-08-03T09:00:00-03:00",
    "2026-08-03T12:00:00Z", "2026-08-03 12:00:00.000Z"). Text without an
    offset is read as UTC.
#}
{% macro iso_to_timestamp(expression) -%}
    {{ return(adapter.dispatch('iso_to_timestamp', 'jornada')(expression)) }}
{%- endmacro %}

{% macro default__iso_to_timestamp(expression) -%}
    cast(try_cast({{ expression }} as timestamptz) at time zone 'UTC' as timestamp)
{%- endmacro %}

{% macro spark__iso_to_timestamp(expression) -%}
    try_cast({{ expression }} as timestamp)
{%- endmacro %}

{# RFC 2822 text ("Mon, 03 Aug 2026 12:00:00 +0000", Twilio's REST API). #}
{% macro rfc2822_to_timestamp(expression) -%}
    {{ return(adapter.dispatch('rfc2822_to_timestamp', 'jornada')(expression)) }}
{%- endmacro %}

{% macro default__rfc2822_to_timestamp(expression) -%}
    cast(try_strptime({{ expression }}, '%a, %d %b %Y %H:%M:%S %z') at time zone 'UTC' as timestamp)
{%- endmacro %}

{#
    Spark's datetime patterns cannot parse a day-of-week name (`EEE` fails
    with INCONSISTENT_BEHAVIOR_CROSS_VERSION), so the optional "Mon, "
    prefix is cut before parsing; the day name carries no information.
#}
{% macro spark__rfc2822_to_timestamp(expression) -%}
    try_to_timestamp(regexp_replace({{ expression }}, '^[A-Za-z]{3}, ', ''), 'd MMM yyyy HH:mm:ss Z')
{%- endmacro %}

{# Local business date of a UTC timestamp (var business_timezone). #}
{% macro to_business_date(expression) -%}
    {{ return(adapter.dispatch('to_business_date', 'jornada')(expression)) }}
{%- endmacro %}

{% macro default__to_business_date(expression) -%}
    cast(timezone('{{ var("business_timezone") }}', cast({{ expression }} as timestamp) at time zone 'UTC') as date)
{%- endmacro %}

{% macro spark__to_business_date(expression) -%}
    to_date(from_utc_timestamp({{ expression }}, '{{ var("business_timezone") }}'))
{%- endmacro %}
