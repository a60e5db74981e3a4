{#
    Every raw row that could not be staged, from every source, with the
    reason. Nothing is dropped silently: a raw row is either staged, counted
    as a duplicate, or here.
#}

{%- set row_key = dbt.concat([
    "source_name", "'|'", "table_name", "'|'", "source_file_name", "'|'", "raw_row", "'|'",
    "cast(copy_number as " ~ dbt.type_string() ~ ")",
]) -%}

with

unioned as (

    {% for raw in jornada.raw_tables() -%}
        select
            '{{ raw.source }}' as source_name,
            '{{ raw.table }}' as table_name,
            quarantine_reason,
            raw_row,
            source_file_name,
            loaded_at
        from {{ ref('base_' ~ raw.source ~ '__' ~ raw.table) }}
        where quarantine_reason is not null
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

numbered as (

    select
        *,
        row_number() over (
            partition by source_name, table_name, source_file_name, raw_row
            order by loaded_at
        ) as copy_number
    from unioned

),

final as (

    select
        {{ dbt.hash(row_key) }} as quarantine_row_id,
        source_name,
        table_name,
        quarantine_reason,
        raw_row,
        source_file_name,
        loaded_at
    from numbered

)

select * from final
