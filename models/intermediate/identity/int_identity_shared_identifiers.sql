{#
    The guard rail's report: every email or phone that identity resolution
    refused to merge on, because more than `identity_max_component_size`
    records of one system (CRM contacts, store customers, ...) carry it (a
    role address such as contato@, a company switchboard). Shows how many
    records and persons it would have merged into one.
#}

with

resolved as (

    select * from {{ ref('int_identity_nodes_resolved') }}

),

edges as (

    select * from {{ ref('int_identity_edges_unioned') }}

),

shared as (

    select
        node_key,
        identifier_type,
        person_id,
        first_seen_at,
        last_seen_at
    from resolved
    where is_shared_identifier

),

neighbours as (

    select
        edges.from_node_key as node_key,
        edges.to_node_key as neighbour_key
    from edges
    inner join shared
        on edges.from_node_key = shared.node_key
    union
    select
        edges.to_node_key as node_key,
        edges.from_node_key as neighbour_key
    from edges
    inner join shared
        on edges.to_node_key = shared.node_key

),

neighbour_persons as (

    select
        neighbours.node_key,
        count(distinct neighbours.neighbour_key) as linked_records,
        count(distinct resolved.identifier_type) as linked_record_types,
        count(distinct resolved.person_id) as persons_kept_apart
    from neighbours
    inner join resolved
        on neighbours.neighbour_key = resolved.node_key
    group by neighbours.node_key

),

final as (

    select
        shared.node_key,
        shared.identifier_type,
        shared.person_id,
        shared.first_seen_at,
        shared.last_seen_at,
        coalesce(neighbour_persons.linked_records, 0) as linked_records,
        coalesce(neighbour_persons.linked_record_types, 0) as linked_record_types,
        coalesce(neighbour_persons.persons_kept_apart, 0) as persons_kept_apart
    from shared
    left join neighbour_persons
        on shared.node_key = neighbour_persons.node_key

)

select * from final
