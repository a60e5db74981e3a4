{#
    Keeps one row per natural key, deterministically: the first row by
    `order_by` (default: the earliest load, then file name). Used to drop
    webhook re-deliveries and rows repeated by overlapping export files.
    Renders a full select; use it as the body of a CTE.
#}
{% macro deduplicate(relation, partition_by, order_by='loaded_at, source_file_name') -%}
    select *
    from (
        select
            *,
            row_number() over (partition by {{ partition_by }} order by {{ order_by }}) as dedup_row_number
        from {{ relation }}
    ) as numbered
    where dedup_row_number = 1
{%- endmacro %}
