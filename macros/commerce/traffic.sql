{#
    Web traffic (GA4 sessions, Shopify landing pages) in Jornada's channel
    vocabulary, one rule for both so sessions and orders agree:
    email for medium `email`; whatsapp or sms for those sources; ads for paid
    media (cpc, ppc, paid, cpm, display, paid social) or a Google Ads click
    id; social for medium `social` or a social network as source; web for
    everything else (organic search, direct, referral, no utm at all).
#}
{% macro traffic_channel(source, medium, has_gclid='false') -%}
    case
        when lower({{ medium }}) = 'email' then 'email'
        when lower({{ source }}) = 'whatsapp' then 'whatsapp'
        when lower({{ source }}) = 'sms' then 'sms'
        when lower({{ medium }}) in ('cpc', 'ppc', 'paid', 'paidsocial', 'paid_social', 'cpm', 'display') then 'ads'
        when coalesce({{ has_gclid }}, false) then 'ads'
        when lower({{ medium }}) = 'social' then 'social'
        when lower({{ source }}) in ('instagram', 'facebook', 'tiktok', 'youtube', 'linkedin', 'pinterest') then 'social'
        else 'web'
    end
{%- endmacro %}

{#
    Campaign of a visit: a Jornada messaging campaign id (`cmp_NNNN`) from
    utm_campaign; on paid traffic (`ads`) the ad campaign name, which is the
    `campaign_id` the daily spend export uses for ad platforms. GA4
    placeholders such as `(organic)`, `(direct)`, `(referral)` are not
    campaigns.
#}
{% macro traffic_campaign_id(campaign, channel) -%}
    case
        when {{ campaign }} like 'cmp%' then {{ campaign }}
        when {{ channel }} = 'ads' and {{ campaign }} not like '(%' then {{ campaign }}
    end
{%- endmacro %}
