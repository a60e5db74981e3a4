{#
    Old person ids that no longer exist, and the person each was merged
    into: where an identifier's recorded person_id differs from its current
    one. When an old id's identifiers went to several persons (a split, e.g.
    after a shared address was detected), the person that got most of them
    is the target and `current_persons` says how many there are. Lets anything keyed on an old person_id (an export, a CRM sync) be
    re-pointed.
#}

with

history as (

    select * from {{ ref('int_identity_person_id_history') }}

),

resolved as (

    select * from {{ ref('int_identity_nodes_resolved') }}

),

current_person_ids as (

    select distinct person_id
    from resolved

),

retired_assignments as (

    select
        history.person_id as prior_person_id,
        resolved.person_id,
        history.node_key,
        history.first_assigned_at
    from history
    inner join resolved
        on history.node_key = resolved.node_key
    left join current_person_ids
        on history.person_id = current_person_ids.person_id
    where
        history.person_id <> resolved.person_id
        and current_person_ids.person_id is null

),

moves_per_person as (

    select
        prior_person_id,
        person_id,
        count(*) as identifiers_moved,
        min(first_assigned_at) as prior_id_first_assigned_at
    from retired_assignments
    group by prior_person_id, person_id

),

ranked as (

    select
        *,
        row_number() over (
            partition by prior_person_id
            order by identifiers_moved desc, person_id asc
        ) as target_rank,
        count(*) over (partition by prior_person_id) as current_persons,
        sum(identifiers_moved) over (partition by prior_person_id) as total_identifiers_moved,
        min(prior_id_first_assigned_at) over (partition by prior_person_id) as first_assigned_at
    from moves_per_person

),

merge_targets as (

    select
        prior_person_id,
        person_id,
        current_persons,
        total_identifiers_moved as identifiers_moved,
        first_assigned_at as prior_id_first_assigned_at
    from ranked
    where target_rank = 1

),

final as (

    select
        prior_person_id,
        person_id,
        current_persons,
        identifiers_moved,
        prior_id_first_assigned_at
    from merge_targets

)

select * from final
