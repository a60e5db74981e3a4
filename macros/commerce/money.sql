{#
    An amount in the reporting currency (var `reporting_currency`, BRL):
    the original amount times the day's rate from `int_fx_rates_daily`
    (`rate_to_reporting`), rounded to decimal(18, 2). A missing rate gives
    null, never a silently unconverted amount.
#}
{% macro to_reporting_currency(amount, rate) -%}
    cast({{ amount }} * {{ rate }} as decimal(18, 2))
{%- endmacro %}
