{#
    Row accounting per raw table: every raw row is staged, quarantined, or
    dropped as a duplicate (a webhook re-delivery or a row repeated by an
    overlapping export file). `duplicate_rows` is what is left once staged
    and quarantined rows are counted; the pytest suite checks it against the
    duplicates the generator planted, and a dbt test that it is never
    negative.
#}

with

quarantine as (

    select * from {{ ref('stg_quarantine__rows') }}

),

counted as (

    {% for raw in jornada.raw_tables() -%}
        select
            '{{ raw.source }}' as source_name,
            '{{ raw.table }}' as table_name,
            (select count(*) from {{ source(raw.source, raw.table) }}) as raw_rows,
            (select count(*) from {{ ref('stg_' ~ raw.source ~ '__' ~ raw.table) }}) as staged_rows
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

quarantined as (

    select
        source_name,
        table_name,
        count(*) as quarantined_rows
    from quarantine
    group by source_name, table_name

),

final as (

    select
        {{ dbt.concat(["counted.source_name", "'.'", "counted.table_name"]) }} as raw_table_id,
        counted.source_name,
        counted.table_name,
        counted.raw_rows,
        counted.staged_rows,
        coalesce(quarantined.quarantined_rows, 0) as quarantined_rows,
        counted.raw_rows - counted.staged_rows - coalesce(quarantined.quarantined_rows, 0) as duplicate_rows
    from counted
    left join quarantined
        on
            counted.source_name = quarantined.source_name
            and counted.table_name = quarantined.table_name

)

select * from final
