{#
    Where identifiers come from, in one place.

    identity_edge_sources(): records that show two identifiers of one
    person together (a CRM contact with its email, a store customer with
    its phone, a web device logged in as a store customer, ...). Each
    entry: (model, source var, from type, from column, to type, to column,
    seen-at column[, row filter]). The edge's rule is `<model>:<from>-><to>`.

    identity_node_sources(): every column holding an identifier, so that
    identifiers seen alone (an email only SendGrid knows, a WhatsApp number)
    still become persons. Every column a message event takes its person
    from must be here: Twilio status callbacks name the recipient, and for
    a message the Messages export lacks (sent after it was taken) they are
    the only record of that phone (a 100M-event world had 5 such messages
    whose events had no person until callbacks were a node source).

    Identifier types: email (salted hash), phone (salted hash of E.164),
    crm_contact (HubSpot id), store_customer (Shopify id, also GA4 user_id),
    billing_customer (Stripe id), helpdesk_user (Zendesk id), web_device
    (GA4 user_pseudo_id, chat visitor id).
#}

{% macro identity_edge_sources() %}
    {{ return([
        ('stg_hubspot__contacts', 'hubspot', 'crm_contact', 'contact_id', 'email', 'email_hash', 'created_at'),
        ('stg_hubspot__contacts', 'hubspot', 'crm_contact', 'contact_id', 'phone', 'phone_hash', 'created_at'),
        ('stg_hubspot__contacts', 'hubspot', 'crm_contact', 'contact_id', 'phone', 'mobile_phone_hash', 'created_at'),
        ('stg_hubspot__contacts', 'hubspot', 'crm_contact', 'contact_id', 'phone', 'whatsapp_phone_hash', 'created_at'),
        ('stg_shopify__customers', 'shopify', 'store_customer', 'customer_id', 'email', 'email_hash', 'created_at'),
        ('stg_shopify__customers', 'shopify', 'store_customer', 'customer_id', 'phone', 'phone_hash', 'created_at'),
        ('stg_shopify__orders', 'shopify', 'store_customer', 'customer_id', 'email', 'email_hash', 'created_at'),
        ('stg_shopify__orders', 'shopify', 'store_customer', 'customer_id', 'phone', 'phone_hash', 'created_at'),
        ('stg_shopify__abandoned_checkouts', 'shopify', 'store_customer', 'customer_id', 'email', 'email_hash', 'created_at'),
        ('stg_shopify__abandoned_checkouts', 'shopify', 'email', 'email_hash', 'phone', 'phone_hash', 'created_at'),
        ('stg_stripe__customers', 'stripe', 'billing_customer', 'customer_id', 'email', 'email_hash', 'created_at'),
        ('stg_stripe__customers', 'stripe', 'billing_customer', 'customer_id', 'phone', 'phone_hash', 'created_at'),
        ('stg_stripe__customers', 'stripe', 'billing_customer', 'customer_id', 'crm_contact', 'crm_contact_id', 'created_at'),
        ('stg_zendesk__users', 'zendesk', 'helpdesk_user', 'user_id', 'email', 'email_hash', 'created_at', 'not is_agent'),
        ('stg_zendesk__users', 'zendesk', 'helpdesk_user', 'user_id', 'phone', 'phone_hash', 'created_at', 'not is_agent'),
        ('stg_zendesk__users', 'zendesk', 'helpdesk_user', 'user_id', 'crm_contact', 'crm_contact_id', 'created_at', 'not is_agent'),
        ('stg_ga4__events', 'ga4', 'web_device', 'user_pseudo_id', 'store_customer', 'user_id', 'event_at'),
        ('stg_chat__conversations', 'chat', 'web_device', 'visitor_id', 'email', 'email_hash', 'started_at'),
        ('stg_chat__conversations', 'chat', 'web_device', 'visitor_id', 'phone', 'phone_hash', 'started_at'),
        ('stg_chat__conversations', 'chat', 'email', 'email_hash', 'phone', 'phone_hash', 'started_at'),
        ('stg_chat__conversations', 'chat', 'crm_contact', 'lead_id', 'email', 'email_hash', 'started_at'),
        ('stg_surveys__responses', 'surveys', 'email', 'email_hash', 'phone', 'phone_hash', 'responded_at'),
    ]) }}
{% endmacro %}

{% macro identity_node_sources() %}
    {{ return([
        ('stg_sendgrid__events', 'sendgrid', 'email', 'email_hash', 'occurred_at'),
        ('stg_whatsapp__statuses', 'whatsapp', 'phone', 'phone_hash', 'occurred_at'),
        ('stg_whatsapp__messages', 'whatsapp', 'phone', 'phone_hash', 'occurred_at'),
        ('stg_twilio__messages', 'twilio', 'phone', 'phone_hash', 'created_at'),
        ('stg_twilio__status_callbacks', 'twilio', 'phone', 'phone_hash', 'occurred_at'),
        ('stg_reviews__reviews', 'reviews', 'email', 'email_hash', 'created_at'),
        ('stg_ga4__events', 'ga4', 'web_device', 'user_pseudo_id', 'event_at'),
        ('stg_shopify__orders', 'shopify', 'store_customer', 'customer_id', 'created_at'),
        ('stg_shopify__orders', 'shopify', 'email', 'email_hash', 'created_at'),
        ('stg_shopify__orders', 'shopify', 'phone', 'phone_hash', 'created_at'),
        ('stg_stripe__subscriptions', 'stripe', 'billing_customer', 'customer_id', 'created_at'),
        ('stg_zendesk__tickets', 'zendesk', 'helpdesk_user', 'requester_id', 'created_at'),
        ('stg_surveys__responses', 'surveys', 'email', 'email_hash', 'responded_at'),
        ('stg_surveys__responses', 'surveys', 'phone', 'phone_hash', 'responded_at'),
        ('stg_chat__conversations', 'chat', 'email', 'email_hash', 'started_at'),
        ('stg_chat__conversations', 'chat', 'phone', 'phone_hash', 'started_at'),
        ('stg_chat__conversations', 'chat', 'web_device', 'visitor_id', 'started_at'),
    ]) }}
{% endmacro %}

{# "<type>:<value>", the key of an identifier node. #}
{% macro identity_node_key(identifier_type, column) -%}
    {{ dbt.concat(["'" ~ identifier_type ~ ":'", "cast(" ~ column ~ " as " ~ dbt.type_string() ~ ")"]) }}
{%- endmacro %}
