{#
    Every identifier seen anywhere, once, with when it was first and last
    seen: the nodes of the identity graph. Identifiers seen alone (an email
    only SendGrid knows) are nodes too, so they become persons.
#}

with

sightings as (

    {% for model, source_name, identifier_type, column, seen_at in jornada.identity_node_sources()
        if var('jornada__using_' ~ source_name) -%}
        select
            {{ jornada.identity_node_key(identifier_type, column) }} as node_key,
            {{ seen_at }} as seen_at
        from {{ ref(model) }}
        where {{ column }} is not null
        union all
    {% endfor %}
    select
        from_node_key as node_key,
        first_seen_at as seen_at
    from {{ ref('int_identity_edges_unioned') }}
    union all
    select
        to_node_key as node_key,
        first_seen_at as seen_at
    from {{ ref('int_identity_edges_unioned') }}

),

final as (

    select
        node_key,
        {{ dbt.split_part('node_key', "':'", 1) }} as identifier_type,
        substr(node_key, length({{ dbt.split_part('node_key', "':'", 1) }}) + 2) as identifier_value,
        min(seen_at) as first_seen_at,
        max(seen_at) as last_seen_at
    from sightings
    group by node_key

)

select * from final
