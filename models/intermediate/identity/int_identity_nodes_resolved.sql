{#
    Identity resolution: each identifier node gets the person it belongs to.

    1. Shared identifiers: an email or phone linked to more than
       `identity_max_component_size` records of one system (CRM contacts,
       store customers, billing customers, helpdesk users, web devices) is a
       role address or switchboard. Its edges are not used to merge; it
       stays a person of its own and is reported in
       int_identity_shared_identifiers.
    2. Connected components over the remaining edges, by label propagation:
       every node starts with its own label (when it was first seen, then
       its key) and takes the smallest label among its neighbours, for
       `identity_max_iterations` rounds. One more round is computed to
       check convergence: `is_converged` is false where a label would still
       change, and a dbt test fails on any such node (raise the var).
    3. person_id = 'per_' + 16 hex of the hash of the component's label:
       the same inputs give the same ids on every run and full refresh; the
       id is anchored on the earliest-seen identifier, so new data that
       joins a person later does not change its id.
#}

{%- set anchor_types = ['crm_contact', 'store_customer', 'billing_customer', 'helpdesk_user', 'web_device'] -%}
{%- set anchor_list = "('" ~ anchor_types | join("', '") ~ "')" -%}

with

nodes as (

    select * from {{ ref('int_identity_nodes_unioned') }}

),

edges as (

    select * from {{ ref('int_identity_edges_unioned') }}

),

identifier_links as (

    select
        from_node_key as identifier_node_key,
        to_node_key as record_node_key,
        to_identifier_type as record_type
    from edges
    where
        from_identifier_type in ('email', 'phone')
        and to_identifier_type in {{ anchor_list }}
    union
    select
        to_node_key as identifier_node_key,
        from_node_key as record_node_key,
        from_identifier_type as record_type
    from edges
    where
        to_identifier_type in ('email', 'phone')
        and from_identifier_type in {{ anchor_list }}

),

records_per_identifier as (

    select
        identifier_node_key,
        record_type,
        count(distinct record_node_key) as linked_records
    from identifier_links
    group by identifier_node_key, record_type

),

shared_identifiers as (

    select identifier_node_key as node_key
    from records_per_identifier
    group by identifier_node_key
    having max(linked_records) > {{ var('identity_max_component_size') }}

),

usable_edges as (

    select
        edges.from_node_key as node_key,
        edges.to_node_key as neighbour_key
    from edges
    left join shared_identifiers as shared_from
        on edges.from_node_key = shared_from.node_key
    left join shared_identifiers as shared_to
        on edges.to_node_key = shared_to.node_key
    where shared_from.node_key is null and shared_to.node_key is null

),

undirected_edges as (

    select
        node_key,
        neighbour_key
    from usable_edges
    union
    select
        neighbour_key as node_key,
        node_key as neighbour_key
    from usable_edges

),

labels_0 as (

    select
        node_key,
        {{ dbt.concat([
            "coalesce(cast(" ~ dbt.date_trunc('second', 'first_seen_at') ~ " as " ~ dbt.type_string() ~ "), '9999')",
            "'|'",
            "node_key",
        ]) }} as node_label
    from nodes

),

{%- set last_round = var('identity_max_iterations') %}

{#- labels_1 ... labels_<last_round + 1>: one CTE per round (macros/identity/label_propagation.sql). #}
{{ jornada.identity_label_propagation_ctes('labels_0', 'undirected_edges', last_round + 1, 'labels') }}


final as (

    select
        nodes.node_key,
        nodes.identifier_type,
        nodes.identifier_value,
        {{ dbt.concat(["'per_'", "substr(" ~ dbt.hash("labels.node_label") ~ ", 1, 16)"]) }} as person_id,
        labels.node_label as component_label,
        shared_identifiers.node_key is not null as is_shared_identifier,
        labels.node_label = next_round.node_label as is_converged,
        nodes.first_seen_at,
        nodes.last_seen_at
    from nodes
    inner join labels_{{ last_round }} as labels
        on nodes.node_key = labels.node_key
    inner join labels_{{ last_round + 1 }} as next_round
        on nodes.node_key = next_round.node_key
    left join shared_identifiers
        on nodes.node_key = shared_identifiers.node_key

)

select * from final
