{#
    One row per Zendesk support-staff user (agent or admin) with the
    workforce agent id it is: the agent with the same hashed work email,
    else the one agent with the same hashed name. A name two agents share
    maps nobody. With the workforce source switched off nobody is mapped.
#}

with

helpdesk_users as (

    select * from {{ ref('stg_zendesk__users') }}

),

workforce_agents as (

    {% if var('jornada__using_workforce') %}
        select * from {{ ref('stg_workforce__agents') }}
    {% else %}
        select
            cast(null as {{ dbt.type_string() }}) as agent_id,
            cast(null as {{ dbt.type_string() }}) as email_hash,
            cast(null as {{ dbt.type_string() }}) as name_hash
        where 1 = 0
    {% endif %}

),

helpdesk_agents as (

    select
        user_id,
        user_role,
        name_hash,
        email_hash,
        is_active
    from helpdesk_users
    where is_agent

),

agents_by_email as (

    select
        email_hash,
        min(agent_id) as agent_id
    from workforce_agents
    where email_hash is not null
    group by email_hash
    having count(*) = 1

),

agents_by_name as (

    select
        name_hash,
        min(agent_id) as agent_id
    from workforce_agents
    where name_hash is not null
    group by name_hash
    having count(*) = 1

),

mapped as (

    select
        helpdesk_agents.user_id,
        helpdesk_agents.user_role,
        helpdesk_agents.is_active,
        coalesce(agents_by_email.agent_id, agents_by_name.agent_id) as agent_id,
        case
            when agents_by_email.agent_id is not null then 'email'
            when agents_by_name.agent_id is not null then 'name'
        end as match_rule
    from helpdesk_agents
    left join agents_by_email
        on helpdesk_agents.email_hash = agents_by_email.email_hash
    left join agents_by_name
        on helpdesk_agents.name_hash = agents_by_name.name_hash

),

final as (

    select
        user_id,
        user_role,
        is_active,
        agent_id,
        match_rule,
        agent_id is not null as is_mapped
    from mapped

)

select * from final
