{#
    The KPI catalog, generated from metadata instead of typed twice: each
    kpi_<stage>_daily model lists its KPIs under `config.meta.kpis` in its
    yml and contributes one row per KPI, in stage order, with the
    definition, unit and
    direction written there, the model that publishes it and the marts it is
    computed from. Read from dbt's graph at compile time.
#}

{{ config(contract={'enforced': true}) }}


{%- set entries = [] -%}
{%- if execute -%}
    {%- for stage in jornada.kpi_journey_stages() -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model' and node.name == 'kpi_' ~ stage ~ '_daily' -%}
        {%- for kpi in node.config.meta.kpis -%}
            {%- set sources = kpi.get('source_models') or (
                node.depends_on.nodes | map('replace', 'model.jornada.', '') | list
            ) -%}
            {%- do entries.append({
                'kpi_name': kpi.kpi_name,
                'journey_stage': stage,
                'definition': kpi.definition,
                'unit': kpi.unit,
                'direction': kpi.direction,
                'is_additive': kpi.get('additive', false),
                'periods': kpi.get('periods', ['day']) | join(', '),
                'breakdowns': kpi.get('breakdowns', []) | join(', '),
                'defined_in': node.name,
                'source_models': sources | join(', '),
            }) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- endfor -%}
{%- endif %}

-- depends_on: {{ ref('kpi_daily') }}



with

entries as (

    {% for entry in entries %}
        select
            {{ jornada.string_literal(entry.kpi_name) }} as kpi_name,
            {{ jornada.string_literal(entry.journey_stage) }} as journey_stage,
            {{ jornada.string_literal(entry.definition) }} as definition,
            {{ jornada.string_literal(entry.unit) }} as unit,
            {{ jornada.string_literal(entry.direction) }} as direction,
            {{ 'true' if entry.is_additive else 'false' }} as is_additive,
            {{ jornada.string_literal(entry.periods) }} as periods,
            {{ jornada.string_literal(entry.breakdowns) }} as breakdowns,
            {{ jornada.string_literal(entry.defined_in) }} as defined_in,
            {{ jornada.string_literal(entry.source_models) }} as source_models,
            {{ loop.index }} as catalog_order
        {% if not loop.last %}union all{% endif %}
    {% else %}
        select
            cast(null as {{ dbt.type_string() }}) as kpi_name,
            cast(null as {{ dbt.type_string() }}) as journey_stage,
            cast(null as {{ dbt.type_string() }}) as definition,
            cast(null as {{ dbt.type_string() }}) as unit,
            cast(null as {{ dbt.type_string() }}) as direction,
            cast(null as {{ dbt.type_boolean() }}) as is_additive,
            cast(null as {{ dbt.type_string() }}) as periods,
            cast(null as {{ dbt.type_string() }}) as breakdowns,
            cast(null as {{ dbt.type_string() }}) as defined_in,
            cast(null as {{ dbt.type_string() }}) as source_models,
            0 as catalog_order
        where 1 = 0
    {% endfor %}

),

final as (

    select
        kpi_name,
        journey_stage,
        definition,
        unit,
        direction,
        is_additive,
        periods,
        breakdowns,
        defined_in,
        source_models,
        cast(catalog_order as {{ dbt.type_bigint() }}) as catalog_order
    from entries

)

select * from final
