{#
    Every person_id each identifier has ever had, kept across runs: an
    append-only log that a full refresh does not wipe (`full_refresh=false`).
    When new data joins two clusters, the identifiers of the younger cluster
    take the older cluster's person_id; their previous id stays here, so
    int_identity_person_merges can map old ids to new ones.
    Append with an anti-join (not merge) so it runs the same on DuckDB and
    on Spark's plain Parquet tables.
#}

{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        full_refresh=false,
        on_schema_change='fail',
    )
}}

with

resolved as (

    select * from {{ ref('int_identity_nodes_resolved') }}

),

assignments as (

    select
        {{ dbt.hash(dbt.concat(["resolved.node_key", "'|'", "resolved.person_id"])) }} as assignment_id,
        resolved.node_key,
        resolved.identifier_type,
        resolved.person_id,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp) as first_assigned_at
    from resolved

),

new_assignments as (

    select assignments.*
    from assignments
    {% if is_incremental() %}
        left join {{ this }} as known
            on assignments.assignment_id = known.assignment_id
        where known.assignment_id is null
    {% endif %}

),

final as (

    select
        assignment_id,
        node_key,
        identifier_type,
        person_id,
        first_assigned_at
    from new_assignments

)

select * from final
