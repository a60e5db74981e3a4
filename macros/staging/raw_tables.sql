{#
    The registry of raw tables: one entry per raw export table, each staged
    by base_<source>__<table> (cast + quarantine reason) and
    stg_<source>__<table> (valid, deduplicated, hashed). The quarantine union
    and the row accounting iterate over it, and a pytest fails when a base
    model exists that is not listed here. Sources switched off with their
    `jornada__using_<source>` var are left out.
#}
{% macro raw_tables() %}
    {%- set tables = [
        ('sendgrid', 'events'),
        ('whatsapp', 'statuses'),
        ('whatsapp', 'messages'),
        ('twilio', 'messages'),
        ('twilio', 'status_callbacks'),
        ('ga4', 'events'),
        ('zendesk', 'tickets'),
        ('zendesk', 'ticket_metrics'),
        ('zendesk', 'ticket_metric_events'),
        ('zendesk', 'users'),
        ('shopify', 'orders'),
        ('shopify', 'order_line_items'),
        ('shopify', 'refunds'),
        ('shopify', 'abandoned_checkouts'),
        ('shopify', 'customers'),
        ('stripe', 'subscriptions'),
        ('stripe', 'subscription_items'),
        ('stripe', 'customers'),
        ('hubspot', 'contacts'),
        ('chat', 'conversations'),
        ('chat', 'segments'),
        ('chat', 'article_views'),
        ('surveys', 'responses'),
        ('reviews', 'reviews'),
        ('social', 'posts'),
        ('social', 'interactions'),
        ('workforce', 'agents'),
        ('workforce', 'shifts'),
        ('workforce', 'presence_events'),
        ('ad_spend', 'daily_spend'),
        ('campaigns', 'campaigns'),
        ('campaigns', 'variants'),
        ('platform_reports', 'campaign_summaries'),
    ] -%}
    {%- set enabled = [] -%}
    {%- for source_name, table_name in tables -%}
        {%- if var('jornada__using_' ~ source_name, true) -%}
            {%- do enabled.append({'source': source_name, 'table': table_name}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(enabled) }}
{% endmacro %}
