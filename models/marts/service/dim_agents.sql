{#
    One row per contact-center agent of the workforce roster, with the
    Zendesk support-staff user it is (int_zendesk_agents_mapped: same work
    email, else the only agent with the same name). When several Zendesk
    users map to one agent, the active one with the lowest user id is kept
    and `helpdesk_users` counts them all. With the Zendesk source switched
    off nobody is mapped.
#}

with

agents as (

    select * from {{ ref('stg_workforce__agents') }}

),

helpdesk_users as (

    {% if var('jornada__using_zendesk') %}
        select * from {{ ref('int_zendesk_agents_mapped') }}
        where agent_id is not null
    {% else %}
        select
            cast(null as {{ dbt.type_bigint() }}) as user_id,
            cast(null as {{ dbt.type_string() }}) as user_role,
            cast(null as boolean) as is_active,
            cast(null as {{ dbt.type_string() }}) as agent_id,
            cast(null as {{ dbt.type_string() }}) as match_rule
        where 1 = 0
    {% endif %}

),

helpdesk_users_ranked as (

    select
        agent_id,
        user_id,
        user_role,
        match_rule,
        row_number() over (
            partition by agent_id
            order by case when is_active then 0 else 1 end, user_id
        ) as user_position,
        count(*) over (partition by agent_id) as helpdesk_users
    from helpdesk_users

),

final as (

    select
        agents.agent_id,
        agents.team,
        agents.hired_at,
        agents.is_active,
        cast(helpdesk_users_ranked.user_id as {{ dbt.type_string() }}) as helpdesk_user_id,
        helpdesk_users_ranked.user_role as helpdesk_user_role,
        helpdesk_users_ranked.match_rule as helpdesk_match_rule,
        helpdesk_users_ranked.user_id is not null as is_helpdesk_mapped,
        cast(coalesce(helpdesk_users_ranked.helpdesk_users, 0) as {{ dbt.type_bigint() }}) as helpdesk_users
    from agents
    left join helpdesk_users_ranked
        on
            agents.agent_id = helpdesk_users_ranked.agent_id
            and helpdesk_users_ranked.user_position = 1

)

select * from final
