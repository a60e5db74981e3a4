{#
    Every pair of identifiers seen together in one record, with the rule
    (model and columns) that linked them. Identical pairs seen many times
    are kept once per rule, with when they were first and last seen.
#}

with

edges as (

    {% for edge in jornada.identity_edge_sources() if var('jornada__using_' ~ edge[1]) -%}
        {%- set model, from_type, from_column, to_type, to_column, seen_at = (
            edge[0], edge[2], edge[3], edge[4], edge[5], edge[6]
        ) -%}
        select
            {{ jornada.identity_node_key(from_type, from_column) }} as from_node_key,
            {{ jornada.identity_node_key(to_type, to_column) }} as to_node_key,
            '{{ model }}:{{ from_type }}->{{ to_type }}' as link_rule,
            '{{ model }}' as source_model,
            {{ seen_at }} as seen_at
        from {{ ref(model) }}
        where
            {{ from_column }} is not null
            and {{ to_column }} is not null
            {% if edge | length > 7 %}and {{ edge[7] }}{% endif %}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

aggregated as (

    select
        from_node_key,
        to_node_key,
        link_rule,
        source_model,
        count(*) as records,
        min(seen_at) as first_seen_at,
        max(seen_at) as last_seen_at
    from edges
    where from_node_key <> to_node_key
    group by from_node_key, to_node_key, link_rule, source_model

),

final as (

    select
        {{ dbt.hash(dbt.concat(["from_node_key", "'|'", "to_node_key", "'|'", "link_rule"])) }} as edge_id,
        from_node_key,
        to_node_key,
        {{ dbt.split_part('from_node_key', "':'", 1) }} as from_identifier_type,
        {{ dbt.split_part('to_node_key', "':'", 1) }} as to_identifier_type,
        link_rule,
        source_model,
        records,
        first_seen_at,
        last_seen_at
    from aggregated

)

select * from final
