{#
    Every message event of email (SendGrid Event Webhook), WhatsApp (Cloud
    API status and inbound message webhooks) and SMS (Twilio Message
    resources and StatusCallbacks), outbound and inbound, in one vocabulary.

    - event_type maps each vendor status (kept in vendor_event_type); the
      mapping is in the model yml and the folder's doc block.
    - Twilio posts no event time on its callbacks: each SMS status takes the
      best clock known for it, the Message resource's own dates first
      (date_created for the request, date_sent, date_updated for the final
      status), then the carrier receipt time, then the load time.
    - person_id is resolved once per message (identity graph), so every
      event of a message has the same person.
    - Inbound messages are linked to the outbound message they answer: the
      WhatsApp context id when the export has one, else the latest outbound
      message on the same channel to the same person before the inbound one
      (messages the vendor reported failed or bounced, with no sign of
      delivery, are skipped: nobody answers a message they never got).
    - A source switched off with its `jornada__using_<source>` var is left
      out of the union.
    - Incremental on DuckDB (README "Incremental models"), delete+insert by
      message: a run recomputes every event of the messages with a staging
      row loaded since the latest load of their channel here (minus var
      `incremental_lookback_hours`) or whose person the identity graph
      changed; the inbound messages of those persons on the channel (their
      reply link may move to another outbound message), WhatsApp replies to
      them, and the outbound messages those inbound ones answered before.
      Other messages keep their rows; `computed_at` tells the models built
      on this one which rows a run rewrote.
    - Memory: each event meets one large table (its message's summary); the
      vendor events and the staging tables under them are read again by each
      CTE that needs them rather than held in full (`cte_not_materialized`,
      DuckDB). The earlier form, with three large joins and every event held,
      ran out of memory at 100M events; this one builds there by spilling
      (BENCHMARKS.md).
#}

{{
    config(
        materialized=jornada.incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key=['channel', 'direction', 'message_id'],
        on_schema_change='fail',
    )
}}

{%- set using_sendgrid = var('jornada__using_sendgrid') -%}
{%- set using_whatsapp = var('jornada__using_whatsapp') -%}
{%- set using_twilio = var('jornada__using_twilio') -%}
{%- set hard_codes = var('messaging_hard_failure_error_codes') -%}
{%- set opt_out_errors = var('messaging_opt_out_errors') -%}
{%- set text = dbt.type_string() -%}

{%- set vendor_ctes = [] -%}
{%- if using_sendgrid -%}
    {%- do vendor_ctes.append('email_events') -%}
{%- endif -%}
{%- if using_whatsapp -%}
    {%- do vendor_ctes.extend(['whatsapp_status_events', 'whatsapp_inbound_events']) -%}
{%- endif -%}
{%- if using_twilio -%}
    {%- do vendor_ctes.extend(['twilio_outbound_events', 'twilio_inbound_events']) -%}
{%- endif -%}

{#- The staging rows behind each message, to find the messages an incremental run recomputes. #}
{%- set loaded_selects = [] -%}
{%- if using_sendgrid -%}
    {%- do loaded_selects.append(
        "select 'email' as channel, 'outbound' as direction, sg_message_id as message_id, loaded_at"
        ~ " from sendgrid_events"
    ) -%}
{%- endif -%}
{%- if using_whatsapp -%}
    {%- do loaded_selects.append(
        "select 'whatsapp' as channel, 'outbound' as direction, message_id, loaded_at from whatsapp_statuses"
    ) -%}
    {%- do loaded_selects.append(
        "select 'whatsapp' as channel, 'inbound' as direction, message_id, loaded_at from whatsapp_inbound_messages"
    ) -%}
{%- endif -%}
{%- if using_twilio -%}
    {%- do loaded_selects.append(
        "select 'sms' as channel, case when is_inbound then 'inbound' else 'outbound' end as direction,"
        ~ " message_id, loaded_at from twilio_messages"
    ) -%}
    {%- do loaded_selects.append(
        "select 'sms' as channel, 'outbound' as direction, message_id, loaded_at from twilio_callbacks"
    ) -%}
{%- endif %}

with

{% if using_sendgrid %}
    sendgrid_events as {{ jornada.cte_not_materialized() }} (

        select * from {{ ref('stg_sendgrid__events') }}

    ),

{% endif %}
{% if using_whatsapp %}
    whatsapp_statuses as {{ jornada.cte_not_materialized() }} (

        select * from {{ ref('stg_whatsapp__statuses') }}

    ),

    whatsapp_inbound_messages as {{ jornada.cte_not_materialized() }} (

        select * from {{ ref('stg_whatsapp__messages') }}

    ),

{% endif %}
{% if using_twilio %}
    twilio_messages as {{ jornada.cte_not_materialized() }} (

        select * from {{ ref('stg_twilio__messages') }}

    ),

    twilio_callbacks as {{ jornada.cte_not_materialized() }} (

        select * from {{ ref('stg_twilio__status_callbacks') }}

    ),

{% endif %}
identity_nodes as (

    select * from {{ ref('int_identity_nodes_resolved') }}

),

{% if using_sendgrid %}
    email_events as (

        select
            event_id as vendor_event_key,
            sg_message_id as message_id,
            'email' as channel,
            'outbound' as direction,
            case event_type
                when 'processed' then 'sent'
                when 'delivered' then 'delivered'
                when 'deferred' then 'deferred'
                when 'bounce' then 'bounced'
                when 'dropped' then 'dropped'
                when 'open' then 'opened'
                when 'click' then 'clicked'
                when 'spamreport' then 'spam_reported'
                when 'unsubscribe' then 'unsubscribed'
                when 'group_unsubscribe' then 'unsubscribed'
            end as event_type,
            event_type as vendor_event_type,
            occurred_at,
            loaded_at,
            {{ jornada.identity_node_key('email', 'email_hash') }} as person_node_key,
            campaign_id,
            ab_variant,
            cast(null as {{ text }}) as context_message_id,
            false as is_opt_out_keyword,
            coalesce(event_type = 'open' and is_machine_open, false) as is_machine_open,
            case
                when event_type = 'bounce' then coalesce(bounce_type, 'hard')
                when event_type = 'dropped' then 'hard'
            end as bounce_type,
            case when event_type in ('bounce', 'dropped') then smtp_status_code end as error_code,
            coalesce(
                event_type = 'dropped'
                and {{ jornada.messaging_value_in('bounce_reason', opt_out_errors.get('email')) }},
                false
            ) as is_opt_out_error,
            url,
            cast(null as {{ text }}) as whatsapp_conversation_id,
            cast(null as {{ text }}) as whatsapp_conversation_origin_type,
            cast(null as timestamp) as whatsapp_conversation_expires_at,
            cast(null as {{ text }}) as whatsapp_pricing_category,
            cast(null as boolean) as is_billable,
            cast(null as decimal(18, 2)) as cost_amount,
            cast(null as {{ text }}) as currency
        from sendgrid_events

    ),

{% endif %}
{% if using_whatsapp %}
    whatsapp_status_events as (

        select
            status_event_id as vendor_event_key,
            message_id,
            'whatsapp' as channel,
            'outbound' as direction,
            case status
                when 'sent' then 'sent'
                when 'delivered' then 'delivered'
                when 'read' then 'opened'
                when 'failed' then 'failed'
            end as event_type,
            status as vendor_event_type,
            occurred_at,
            loaded_at,
            {{ jornada.identity_node_key('phone', 'phone_hash') }} as person_node_key,
            campaign_id,
            ab_variant,
            cast(null as {{ text }}) as context_message_id,
            false as is_opt_out_keyword,
            false as is_machine_open,
            case
                when status = 'failed' and {{ jornada.messaging_value_in('error_code', hard_codes.get('whatsapp')) }}
                    then 'hard'
                when status = 'failed' then 'soft'
            end as bounce_type,
            cast(error_code as {{ text }}) as error_code,
            coalesce(
                status = 'failed' and {{ jornada.messaging_value_in('error_code', opt_out_errors.get('whatsapp')) }},
                false
            ) as is_opt_out_error,
            cast(null as {{ text }}) as url,
            conversation_id as whatsapp_conversation_id,
            conversation_origin_type as whatsapp_conversation_origin_type,
            conversation_expires_at as whatsapp_conversation_expires_at,
            pricing_category as whatsapp_pricing_category,
            is_billable,
            cast(null as decimal(18, 2)) as cost_amount,
            cast(null as {{ text }}) as currency
        from whatsapp_statuses

    ),

    whatsapp_inbound_events as (

        select
            message_id as vendor_event_key,
            message_id,
            'whatsapp' as channel,
            'inbound' as direction,
            'inbound' as event_type,
            message_type as vendor_event_type,
            occurred_at,
            loaded_at,
            {{ jornada.identity_node_key('phone', 'phone_hash') }} as person_node_key,
            cast(null as {{ text }}) as campaign_id,
            cast(null as {{ text }}) as ab_variant,
            replied_to_message_id as context_message_id,
            is_opt_out_keyword,
            false as is_machine_open,
            cast(null as {{ text }}) as bounce_type,
            cast(null as {{ text }}) as error_code,
            false as is_opt_out_error,
            cast(null as {{ text }}) as url,
            cast(null as {{ text }}) as whatsapp_conversation_id,
            cast(null as {{ text }}) as whatsapp_conversation_origin_type,
            cast(null as timestamp) as whatsapp_conversation_expires_at,
            cast(null as {{ text }}) as whatsapp_pricing_category,
            cast(null as boolean) as is_billable,
            cast(null as decimal(18, 2)) as cost_amount,
            cast(null as {{ text }}) as currency
        from whatsapp_inbound_messages

    ),

{% endif %}
{% if using_twilio %}
    twilio_outbound_resources as (

        select * from twilio_messages
        where not is_inbound

    ),

    twilio_message_attributes as (

        select
            message_id,
            max(campaign_id) as campaign_id,
            max(ab_variant) as ab_variant,
            max(phone_hash) as phone_hash
        from twilio_callbacks
        group by message_id

    ),

    twilio_status_candidates as (

        {#- clock_priority 1: the Message resource's own dates (exact). #}
        select
            message_id,
            case when status in ('scheduled', 'canceled') then 'scheduled' else 'accepted' end as status,
            created_at as occurred_at,
            cast(null as integer) as error_code,
            price_amount as cost_amount,
            currency,
            loaded_at,
            1 as clock_priority
        from twilio_outbound_resources
        union all
        select
            message_id,
            'sent' as status,
            sent_at as occurred_at,
            cast(null as integer) as error_code,
            cast(null as decimal(18, 2)) as cost_amount,
            cast(null as {{ text }}) as currency,
            loaded_at,
            1 as clock_priority
        from twilio_outbound_resources
        where sent_at is not null
        union all
        select
            message_id,
            status,
            updated_at as occurred_at,
            error_code,
            cast(null as decimal(18, 2)) as cost_amount,
            cast(null as {{ text }}) as currency,
            loaded_at,
            1 as clock_priority
        from twilio_outbound_resources
        where
            updated_at is not null
            and status not in ('accepted', 'scheduled', 'queued', 'sending', 'sent')
        union all
        {#- 2: the carrier's delivery receipt (minute precision); 3: the load time. #}
        select
            message_id,
            status,
            occurred_at,
            error_code,
            cast(null as decimal(18, 2)) as cost_amount,
            cast(null as {{ text }}) as currency,
            loaded_at,
            case when has_delivery_receipt then 2 else 3 end as clock_priority
        from twilio_callbacks

    ),

    twilio_status_ranked as (

        select
            message_id,
            status,
            occurred_at,
            loaded_at,
            max(error_code) over (partition by message_id, status) as error_code,
            max(cost_amount) over (partition by message_id, status) as cost_amount,
            max(currency) over (partition by message_id, status) as currency,
            row_number() over (
                partition by message_id, status
                order by clock_priority, occurred_at, loaded_at
            ) as clock_rank
        from twilio_status_candidates

    ),

    twilio_outbound_events as (

        select
            {{ dbt.concat(["statuses.message_id", "'|'", "statuses.status"]) }} as vendor_event_key,
            statuses.message_id,
            'sms' as channel,
            'outbound' as direction,
            case statuses.status
                when 'accepted' then 'sent'
                when 'queued' then 'sent'
                when 'sending' then 'sent'
                when 'sent' then 'sent'
                when 'scheduled' then 'deferred'
                when 'delivered' then 'delivered'
                when 'partially_delivered' then 'delivered'
                when 'read' then 'opened'
                when 'undelivered' then 'bounced'
                when 'failed' then 'failed'
                when 'canceled' then 'dropped'
            end as event_type,
            statuses.status as vendor_event_type,
            statuses.occurred_at,
            statuses.loaded_at,
        {{ jornada.identity_node_key(
            'phone', 'coalesce(resources.phone_hash, attributes.phone_hash)'
        ) }} as person_node_key,
            attributes.campaign_id,
            attributes.ab_variant,
            cast(null as {{ text }}) as context_message_id,
            false as is_opt_out_keyword,
            false as is_machine_open,
            case
                when
                    statuses.status in ('undelivered', 'failed')
                    and {{ jornada.messaging_value_in('statuses.error_code', hard_codes.get('sms')) }}
                    then 'hard'
                when statuses.status in ('undelivered', 'failed') then 'soft'
            end as bounce_type,
            cast(statuses.error_code as {{ text }}) as error_code,
            coalesce(
                statuses.status = 'failed'
                and {{ jornada.messaging_value_in('statuses.error_code', opt_out_errors.get('sms')) }},
                false
            ) as is_opt_out_error,
            cast(null as {{ text }}) as url,
            cast(null as {{ text }}) as whatsapp_conversation_id,
            cast(null as {{ text }}) as whatsapp_conversation_origin_type,
            cast(null as timestamp) as whatsapp_conversation_expires_at,
            cast(null as {{ text }}) as whatsapp_pricing_category,
            cast(null as boolean) as is_billable,
            statuses.cost_amount,
            statuses.currency
        from twilio_status_ranked as statuses
        left join twilio_outbound_resources as resources
            on statuses.message_id = resources.message_id
        left join twilio_message_attributes as attributes
            on statuses.message_id = attributes.message_id
        where statuses.clock_rank = 1

    ),

    twilio_inbound_events as (

        select
            message_id as vendor_event_key,
            message_id,
            'sms' as channel,
            'inbound' as direction,
            'inbound' as event_type,
            status as vendor_event_type,
            coalesce(sent_at, created_at) as occurred_at,
            loaded_at,
            {{ jornada.identity_node_key('phone', 'phone_hash') }} as person_node_key,
            cast(null as {{ text }}) as campaign_id,
            cast(null as {{ text }}) as ab_variant,
            cast(null as {{ text }}) as context_message_id,
            is_opt_out_keyword,
            false as is_machine_open,
            cast(null as {{ text }}) as bounce_type,
            cast(null as {{ text }}) as error_code,
            false as is_opt_out_error,
            cast(null as {{ text }}) as url,
            cast(null as {{ text }}) as whatsapp_conversation_id,
            cast(null as {{ text }}) as whatsapp_conversation_origin_type,
            cast(null as timestamp) as whatsapp_conversation_expires_at,
            cast(null as {{ text }}) as whatsapp_pricing_category,
            cast(null as boolean) as is_billable,
            price_amount as cost_amount,
            currency
        from twilio_messages
        where is_inbound

    ),

{% endif %}
vendor_events as {{ jornada.cte_not_materialized() }} (

    {% for cte in vendor_ctes -%}
        select * from {{ cte }}
        {% if not loop.last %}union all
        {% endif %}
    {%- endfor %}

),

{% if is_incremental() %}
    stored_events as (

        select * from {{ this }}

    ),

    reread_starts as (

        {{ jornada.incremental_reread_from(partition_by='channel') }}

    ),

    loaded_rows as (

        {% for loaded_select in loaded_selects -%}
            {{ loaded_select }}
            {% if not loop.last %}union all
            {% endif %}
        {%- endfor %}

    ),

    new_messages as (

        select distinct
            loaded_rows.channel,
            loaded_rows.direction,
            loaded_rows.message_id
        from loaded_rows
        left join reread_starts
            on loaded_rows.channel = reread_starts.channel
        where
            reread_starts.reread_from is null
            or loaded_rows.loaded_at > reread_starts.reread_from

    ),

    stored_messages as (

        select
            channel,
            direction,
            message_id,
            max(person_id) as person_id,
            max(person_node_key) as person_node_key,
            max(coalesce(person_id, person_node_key)) as person_match_key,
            max(replied_to_message_id) as replied_to_message_id
        from stored_events
        group by channel, direction, message_id

    ),

    reassigned_messages as (

        select
            stored_messages.channel,
            stored_messages.direction,
            stored_messages.message_id
        from stored_messages
        left join identity_nodes
            on stored_messages.person_node_key = identity_nodes.node_key
        where coalesce(identity_nodes.person_id, '') != coalesce(stored_messages.person_id, '')

    ),

    changed_messages as (

        select * from new_messages
        union
        select * from reassigned_messages

    ),

    changed_nodes as (

        select
            vendor_events.channel,
            min(vendor_events.person_node_key) as person_node_key
        from vendor_events
        inner join changed_messages
            on
                vendor_events.channel = changed_messages.channel
                and vendor_events.direction = changed_messages.direction
                and vendor_events.message_id = changed_messages.message_id
        group by vendor_events.channel, vendor_events.direction, vendor_events.message_id

    ),

    {# The persons (old and new) of changed messages: their inbound messages may link elsewhere. -#}
    affected_match_keys as (

        select
            changed_nodes.channel,
            coalesce(identity_nodes.person_id, changed_nodes.person_node_key) as person_match_key
        from changed_nodes
        left join identity_nodes
            on changed_nodes.person_node_key = identity_nodes.node_key
        union
        select
            stored_messages.channel,
            stored_messages.person_match_key
        from stored_messages
        inner join changed_messages
            on
                stored_messages.channel = changed_messages.channel
                and stored_messages.direction = changed_messages.direction
                and stored_messages.message_id = changed_messages.message_id

    ),

    recomputed_inbound as (

        select
            channel,
            direction,
            message_id
        from changed_messages
        where direction = 'inbound'
        union
        select
            stored_messages.channel,
            stored_messages.direction,
            stored_messages.message_id
        from stored_messages
        inner join affected_match_keys
            on
                stored_messages.channel = affected_match_keys.channel
                and stored_messages.person_match_key = affected_match_keys.person_match_key
        where stored_messages.direction = 'inbound'
        {%- if using_whatsapp %}
            union
            select
                'whatsapp' as channel,
                'inbound' as direction,
                whatsapp_inbound_messages.message_id
            from whatsapp_inbound_messages
            inner join changed_messages
                on
                    changed_messages.channel = 'whatsapp'
                    and changed_messages.direction = 'outbound'
                    and whatsapp_inbound_messages.replied_to_message_id = changed_messages.message_id
        {%- endif %}

    ),

    recomputed_messages as (

        select * from changed_messages
        union
        select * from recomputed_inbound
        union
        {#- The message a recomputed inbound one answered so far (it may lose the answer). #}
        select
            stored_messages.channel,
            'outbound' as direction,
            stored_messages.replied_to_message_id as message_id
        from stored_messages
        inner join recomputed_inbound
            on
                stored_messages.channel = recomputed_inbound.channel
                and stored_messages.direction = recomputed_inbound.direction
                and stored_messages.message_id = recomputed_inbound.message_id
        where stored_messages.replied_to_message_id is not null

    ),

    scoped_events as (

        select vendor_events.*
        from vendor_events
        inner join recomputed_messages
            on
                vendor_events.channel = recomputed_messages.channel
                and vendor_events.direction = recomputed_messages.direction
                and vendor_events.message_id = recomputed_messages.message_id

    ),

{% else %}
    scoped_events as (

        select * from vendor_events

    ),

{% endif %}
{# One aggregate per message: its person's node and everything the reply links need. -#}
message_summaries as (

    select
        channel,
        direction,
        message_id,
        min(person_node_key) as person_node_key,
        min(occurred_at) as first_event_at,
        max(campaign_id) as campaign_id,
        max(ab_variant) as ab_variant,
        max(context_message_id) as context_message_id,
        {{ dbt.bool_or("event_type in ('delivered', 'opened', 'clicked')") }} as has_delivery_evidence,
        {{ dbt.bool_or("event_type in ('bounced', 'failed', 'dropped')") }} as has_failure
    from scoped_events
    group by channel, direction, message_id

),

message_persons as (

    select
        message_summaries.*,
        identity_nodes.person_id,
        coalesce(identity_nodes.person_id, message_summaries.person_node_key) as person_match_key
    from message_summaries
    left join identity_nodes
        on message_summaries.person_node_key = identity_nodes.node_key

),

recomputed_outbound_messages as (

    select
        channel,
        message_id,
        person_match_key,
        first_event_at,
        campaign_id,
        ab_variant,
        has_delivery_evidence,
        has_failure
    from message_persons
    where direction = 'outbound'

),

{% if is_incremental() %}
    {# Outbound messages kept as they are that recomputed inbound ones may answer. -#}
    candidate_outbound_keys as (

        select
            stored_messages.channel,
            stored_messages.message_id
        from stored_messages
        inner join affected_match_keys
            on
                stored_messages.channel = affected_match_keys.channel
                and stored_messages.person_match_key = affected_match_keys.person_match_key
        where stored_messages.direction = 'outbound'
        union
        select
            channel,
            context_message_id as message_id
        from scoped_events
        where direction = 'inbound' and context_message_id is not null

    ),

    kept_outbound_messages as (

        select
            stored_events.channel,
            stored_events.message_id,
            max(coalesce(stored_events.person_id, stored_events.person_node_key)) as person_match_key,
            min(stored_events.occurred_at) as first_event_at,
            max(stored_events.campaign_id) as campaign_id,
            max(stored_events.ab_variant) as ab_variant,
            {{ dbt.bool_or("stored_events.event_type in ('delivered', 'opened', 'clicked')") }}
                as has_delivery_evidence,
            {{ dbt.bool_or("stored_events.event_type in ('bounced', 'failed', 'dropped')") }} as has_failure
        from stored_events
        inner join candidate_outbound_keys
            on
                stored_events.channel = candidate_outbound_keys.channel
                and stored_events.message_id = candidate_outbound_keys.message_id
        left join recomputed_outbound_messages
            on
                stored_events.channel = recomputed_outbound_messages.channel
                and stored_events.message_id = recomputed_outbound_messages.message_id
        where
            stored_events.direction = 'outbound'
            and recomputed_outbound_messages.message_id is null
        group by stored_events.channel, stored_events.message_id

    ),

    outbound_messages as (

        select * from recomputed_outbound_messages
        union all
        select * from kept_outbound_messages

    ),

{% else %}
    outbound_messages as (

        select * from recomputed_outbound_messages

    ),

{% endif %}
inbound_messages as (

    select
        channel,
        message_id,
        first_event_at as occurred_at,
        person_match_key,
        context_message_id
    from message_persons
    where direction = 'inbound'

),

latest_outbound_candidates as (

    select
        inbound_messages.channel,
        inbound_messages.message_id,
        outbound_messages.message_id as outbound_message_id,
        row_number() over (
            partition by inbound_messages.channel, inbound_messages.message_id
            order by outbound_messages.first_event_at desc, outbound_messages.message_id desc
        ) as recency_rank
    from inbound_messages
    inner join outbound_messages
        on
            inbound_messages.channel = outbound_messages.channel
            and inbound_messages.person_match_key = outbound_messages.person_match_key
            and inbound_messages.occurred_at > outbound_messages.first_event_at
    where
        inbound_messages.context_message_id is null
        and (outbound_messages.has_delivery_evidence or not outbound_messages.has_failure)

),

inbound_links as (

    select
        inbound_messages.channel,
        inbound_messages.message_id,
        coalesce(
            inbound_messages.context_message_id, latest_outbound_candidates.outbound_message_id
        ) as replied_to_message_id,
        case
            when inbound_messages.context_message_id is not null then 'context'
            when latest_outbound_candidates.outbound_message_id is not null then 'latest_outbound'
        end as reply_link_method
    from inbound_messages
    left join latest_outbound_candidates
        on
            inbound_messages.channel = latest_outbound_candidates.channel
            and inbound_messages.message_id = latest_outbound_candidates.message_id
            and latest_outbound_candidates.recency_rank = 1

),

{# The campaign an inbound message inherits from the outbound message it answers. -#}
inbound_parents as (

    select
        inbound_links.channel,
        inbound_links.message_id,
        inbound_links.replied_to_message_id,
        inbound_links.reply_link_method,
        parent_messages.campaign_id as parent_campaign_id,
        parent_messages.ab_variant as parent_ab_variant
    from inbound_links
    left join outbound_messages as parent_messages
        on
            inbound_links.channel = parent_messages.channel
            and inbound_links.replied_to_message_id = parent_messages.message_id

),

{#
    Each event meets its own message's summary (person, campaign) in one join; only
    inbound events also meet their reply link, a small table.
-#}
final as (

    select
        {{ dbt.hash(dbt.concat([
            "events.channel", "'|'", "events.direction", "'|'", "events.vendor_event_key"
        ])) }} as message_event_id,
        events.message_id,
        events.channel,
        events.direction,
        case
            when events.direction = 'outbound' then events.event_type
            when events.is_opt_out_keyword then 'unsubscribed'
            when inbound_parents.replied_to_message_id is not null then 'replied'
            else 'inbound'
        end as event_type,
        events.vendor_event_type,
        events.occurred_at,
        events.loaded_at,
        messages.person_id,
        messages.person_node_key,
        coalesce(
            events.campaign_id,
            case
                when events.direction = 'outbound' then messages.campaign_id
                else inbound_parents.parent_campaign_id
            end
        ) as campaign_id,
        coalesce(
            events.ab_variant,
            case
                when events.direction = 'outbound' then messages.ab_variant
                else inbound_parents.parent_ab_variant
            end
        ) as ab_variant,
        inbound_parents.replied_to_message_id,
        inbound_parents.reply_link_method,
        events.is_opt_out_keyword,
        events.is_machine_open,
        events.bounce_type,
        events.error_code,
        events.is_opt_out_error,
        events.url,
        events.whatsapp_conversation_id,
        events.whatsapp_conversation_origin_type,
        events.whatsapp_conversation_expires_at,
        events.whatsapp_pricing_category,
        events.is_billable,
        events.cost_amount,
        events.currency,
        {{ jornada.incremental_run_at() }} as computed_at
    from scoped_events as events
    inner join message_persons as messages
        on
            events.channel = messages.channel
            and events.direction = messages.direction
            and events.message_id = messages.message_id
    left join inbound_parents
        on
            events.direction = 'inbound'
            and events.channel = inbound_parents.channel
            and events.message_id = inbound_parents.message_id

)

select * from final
