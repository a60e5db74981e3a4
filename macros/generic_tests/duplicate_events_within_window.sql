{#
    Fails on events that repeat an earlier event of the same natural key at
    most `window_seconds` later, whatever ids they carry: a webhook replayed
    with a new event id, a tag that fired twice, a send request retried. The
    primary-key test cannot see these (the ids differ); exact re-deliveries
    with the same id are its job, and staging drops them.

    Arguments
      key_columns       list of columns (or SQL expressions) forming the natural
                        key, e.g. [sg_message_id, event_type, url]. Null key
                        values compare equal (no url is one value).
      window_seconds    a repeat at most this many seconds after the previous
                        event of its key fails (0: exact-time repeats only).
                        Seconds as dbt.datediff counts them.
      timestamp_column  the event time; defaults to the column the test is
                        attached to.
      id_column         optional event id: when given, a repeat with the same
                        id as the event before it does not count.

    One failing row per repeat (the later event of each close pair): the key,
    the event (its id when id_column is set), the event it repeats and the
    seconds between them. Checking
    consecutive events of a key is enough: if any two events of a key are
    within the window (with different ids), two consecutive ones are.

    Cross-database: lag() and dbt.datediff only; the difference is computed
    only where a previous event exists (Spark's datediff rejects nulls).
#}
{% test duplicate_events_within_window(
    model, key_columns, window_seconds, timestamp_column=none, id_column=none, column_name=none
) %}

{%- set timestamp_column = timestamp_column or column_name -%}
{%- if timestamp_column is none -%}
    {{ exceptions.raise_compiler_error(
        "duplicate_events_within_window: set timestamp_column or attach the test to the timestamp column"
    ) }}
{%- endif -%}
{%- set keys = jornada.dq_as_list(key_columns) -%}
{%- if keys | length == 0 -%}
    {{ exceptions.raise_compiler_error("duplicate_events_within_window: key_columns must list at least one column") }}
{%- endif -%}
{%- set key_aliases = [] -%}
{%- for key in keys -%}
    {%- do key_aliases.append(jornada.dq_column_alias(key, 'key_' ~ loop.index)) -%}
{%- endfor -%}

with

events as (

    select
        {% for key in keys -%}
            {{ key }} as {{ key_aliases[loop.index0] }},
        {% endfor -%}
        {% if id_column -%}
            cast({{ id_column }} as {{ dbt.type_string() }})
        {%- else -%}
            cast(null as {{ dbt.type_string() }})
        {%- endif %} as event_id,
        {{ timestamp_column }} as event_at
    from {{ model }}
    where {{ timestamp_column }} is not null

),

sequenced as (

    select
        *,
        lag(event_id) over (
            partition by {{ key_aliases | join(', ') }}
            order by event_at, event_id
        ) as previous_event_id,
        lag(event_at) over (
            partition by {{ key_aliases | join(', ') }}
            order by event_at, event_id
        ) as previous_event_at
    from events

),

repeats as (

    select *
    from sequenced
    where
        previous_event_at is not null
        {% if id_column -%}
            and (event_id is null or previous_event_id is null or event_id <> previous_event_id)
        {%- endif %}

),

measured as (

    select
        *,
        case
            when previous_event_at is not null
                then {{ dbt.datediff('previous_event_at', 'event_at', 'second') }}
        end as seconds_apart
    from repeats

),

final as (

    select
        {% for alias in key_aliases -%}
            {{ alias }},
        {% endfor -%}
        {% if id_column -%}
            event_id,
        {% endif -%}
        event_at,
        {% if id_column -%}
            previous_event_id,
        {% endif -%}
        previous_event_at,
        seconds_apart,
        {{ window_seconds }} as window_seconds
    from measured
    where seconds_apart <= {{ window_seconds }}

)

select * from final

{% endtest %}
