{#
    Keeps one row per natural key, deterministically: the first row by
    `order_by` (default: the earliest load, then file name). Used to drop
    webhook re-deliveries and rows repeated by overlapping export files.
    Renders a full select; use it as the body of a CTE. `partition_by` is the
    key: one column or a comma-separated list. Rows whose key is null count
    as one key (as in a window's partition), and every output row carries
    `dedup_row_number` = 1.
#}
{% macro deduplicate(relation, partition_by, order_by='loaded_at, source_file_name') -%}
    {{ return(adapter.dispatch('deduplicate', 'jornada')(relation, partition_by, order_by)) }}
{%- endmacro %}

{% macro default__deduplicate(relation, partition_by, order_by) -%}
    select *
    from (
        select
            *,
            row_number() over (partition by {{ partition_by }} order by {{ order_by }}) as dedup_row_number
        from {{ relation }}
    ) as numbered
    where dedup_row_number = 1
{%- endmacro %}

{#
    DuckDB: the same rows, faster. The window above materialises and sorts
    the whole (wide) relation, though almost every key is unique; here one
    aggregate over the key columns finds the keys that repeat, rows of the
    other keys pass through a hash join, and only the repeated keys' rows go
    through the window (BENCHMARKS.md, "After this run"). `is not distinct
    from` keeps null keys together, as the window does.
#}
{% macro duckdb__deduplicate(relation, partition_by, order_by) -%}
    {%- set keys = [] -%}
    {%- set key_match = [] -%}
    {%- for key in partition_by.split(',') -%}
        {%- do keys.append(key.strip()) -%}
        {%- do key_match.append('keyed_rows.' ~ key.strip() ~ ' is not distinct from repeated_keys.' ~ key.strip()) -%}
    {%- endfor -%}
    select *
    from (
        with

        repeated_keys as (

            select
                {{ keys | join(', ') }},
                true as is_repeated
            from {{ relation }}
            group by {{ keys | join(', ') }}
            having count(*) > 1

        ),

        single_rows as (

            select
                keyed_rows.*,
                1 as dedup_row_number
            from {{ relation }} as keyed_rows
            left join repeated_keys
                on {{ key_match | join(' and ') }}
            where repeated_keys.is_repeated is null

        ),

        repeated_rows as (

            select keyed_rows.*
            from {{ relation }} as keyed_rows
            inner join repeated_keys
                on {{ key_match | join(' and ') }}

        ),

        first_of_repeated_rows as (

            {{ jornada.default__deduplicate('repeated_rows', partition_by, order_by) }}

        )

        select * from single_rows
        union all
        select * from first_of_repeated_rows
    ) as deduplicated_rows
{%- endmacro %}
