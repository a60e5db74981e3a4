{#
    The label-propagation rounds of int_identity_nodes_resolved, as CTEs
    `<prefix>_1` ... `<prefix>_<rounds>` (each followed by a comma), from
    `initial` (node_key, node_label: round 0) and `edges` (node_key,
    neighbour_key, both directions). In every round a node takes the
    smallest label among its own and its neighbours'.

    default: a round reads the previous round twice (the node's own label
    and its neighbours'). DuckDB materialises a CTE read twice, so that is
    linear.

    spark: Spark inlines every deterministic CTE, so reading the previous
    round twice doubles the plan at each round (2^13 copies for 12 rounds:
    the analyser never finishes). Here each round reads the previous one
    once: the edges get a self-loop per node, so the node's own label is
    one of its "neighbours'", and edges to keys that are not nodes are
    dropped (they carried no label before either). Same labels, plan size
    linear in the rounds.
#}
{% macro identity_label_propagation_ctes(initial, edges, rounds, prefix) -%}
    {{ return(adapter.dispatch('identity_label_propagation_ctes', 'jornada')(initial, edges, rounds, prefix)) }}
{%- endmacro %}

{% macro default__identity_label_propagation_ctes(initial, edges, rounds, prefix) -%}
{% for step in range(1, rounds + 1) %}
    {{ prefix }}_{{ step }} as (

        select
            labels.node_key,
            least(labels.node_label, coalesce(min(neighbour.node_label), labels.node_label)) as node_label
        from {{ prefix ~ '_' ~ (step - 1) if step > 1 else initial }} as labels
        left join {{ edges }}
            on labels.node_key = {{ edges }}.node_key
        left join {{ prefix ~ '_' ~ (step - 1) if step > 1 else initial }} as neighbour
            on {{ edges }}.neighbour_key = neighbour.node_key
        group by labels.node_key, labels.node_label

    ),
{% endfor %}
{%- endmacro %}

{% macro spark__identity_label_propagation_ctes(initial, edges, rounds, prefix) -%}
    {{ prefix }}_edges_with_self as (

        select
            {{ edges }}.node_key,
            {{ edges }}.neighbour_key
        from {{ edges }}
        inner join {{ initial }} as from_node
            on {{ edges }}.node_key = from_node.node_key
        inner join {{ initial }} as to_node
            on {{ edges }}.neighbour_key = to_node.node_key
        union all
        select
            node_key,
            node_key as neighbour_key
        from {{ initial }}

    ),
{% for step in range(1, rounds + 1) %}
    {{ prefix }}_{{ step }} as (

        select
            edges_with_self.node_key,
            min(neighbour.node_label) as node_label
        from {{ prefix }}_edges_with_self as edges_with_self
        inner join {{ prefix ~ '_' ~ (step - 1) if step > 1 else initial }} as neighbour
            on edges_with_self.neighbour_key = neighbour.node_key
        group by edges_with_self.node_key

    ),
{% endfor %}
{%- endmacro %}
