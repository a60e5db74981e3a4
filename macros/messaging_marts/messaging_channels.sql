{#
    The outbound messaging channels of the Messaging stage and which of its
    KPIs each channel's exports can measure. Facts of the vendors' exports,
    not tunable thresholds, so they live here rather than in vars:
    - reply_rate: WhatsApp and Twilio export inbound messages; email replies
      go to a mailbox no export covers;
    - spam_complaint_rate: only SendGrid reports spam complaints.
    (Open tracking comes from the lifecycle's `is_open_tracked`.)
#}
{% macro messaging_channels() %}
    {{ return(['email', 'sms', 'whatsapp']) }}
{% endmacro %}

{% macro messaging_reply_tracked_channels() %}
    {{ return(['sms', 'whatsapp']) }}
{% endmacro %}

{% macro messaging_spam_tracked_channels() %}
    {{ return(['email']) }}
{% endmacro %}

{# `expression in ('a', 'b')` for a list of channel names. #}
{% macro messaging_channel_in(expression, channels) -%}
    {{ expression }} in ('{{ channels | join("', '") }}')
{%- endmacro %}
