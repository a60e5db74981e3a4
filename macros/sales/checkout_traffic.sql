{#
    Social network of a referring site URL (instagram, facebook, ...), so a
    visit without utm tags that came from a social network is `social`
    traffic (macro `traffic_channel`); null for any other referrer. The
    same domains int_orders_enriched reads from an order's referring site,
    applied here to checkouts.
#}
{% macro referring_social_network(referring_site) -%}
    case
        {%- for network in ['instagram', 'facebook', 'tiktok', 'youtube', 'linkedin', 'pinterest'] %}
            when {{ referring_site }} like '%{{ network }}.%' then '{{ network }}'
        {%- endfor %}
    end
{%- endmacro %}
