{#
    The raw table of a source, for base models: `source(...)`, which reads
    the seeded demo table, or in raw_path mode the export files through
    dbt-duckdb's external location. In seed mode it also declares the seed
    as a dependency, so a plain `dbt build` loads the seed before the model
    reads it (a `source()` alone carries no dependency on a seed).
#}
{% macro raw_source(source_name, table_name) -%}
    {%- if not var('jornada__using_' ~ source_name, true) -%}
        {{ return(jornada.empty_raw_relation(source_name, table_name)) }}
    {%- endif -%}
    {%- if not var('raw_path', '') -%}
        {%- do ref(source_name ~ '__' ~ table_name) -%}
    {%- endif -%}
    {{ return(source(source_name, table_name)) }}
{%- endmacro %}

{#
    A switched-off source (var jornada__using_<source>: false) reads as an
    empty relation with the raw table's columns (all text, as raw exports
    land), so its staging models, and everything built on them, still build:
    empty, with the KPIs that need the source simply without rows. The
    columns come from the raw table's seed properties, which
    scripts/generate_raw.py writes for every export.
#}
{% macro empty_raw_relation(source_name, table_name) -%}
    {%- set columns = [] -%}
    {%- if execute -%}
        {%- set seed = graph.nodes.get('seed.jornada.' ~ source_name ~ '__' ~ table_name) -%}
        {%- if seed is none -%}
            {{ exceptions.raise_compiler_error(
                "No seed properties describe the raw table " ~ source_name ~ "." ~ table_name
                ~ ": its columns are unknown, so the switched-off source cannot be read as empty."
            ) }}
        {%- endif -%}
        {%- set columns = seed.config.column_types.keys() | list -%}
    {%- endif -%}
    (
        select
        {%- for column in columns %}
            cast(null as {{ dbt.type_string() }}) as {{ adapter.quote(column) }}{{ ',' if not loop.last }}
        {%- else %}
            cast(null as {{ dbt.type_string() }}) as _file_name
        {%- endfor %}
        where 1 = 0
    )
{%- endmacro %}

{#
    The loader metadata every base model carries: the export file, when it
    was loaded (UTC), and the raw row as JSON for quarantine. Ends the
    `parsed` select list of a base model.
#}
{% macro loader_columns(relation_alias) -%}
    _file_name as source_file_name,
    {{ jornada.iso_to_timestamp('_loaded_at') }} as loaded_at,
    {{ jornada.row_to_json(relation_alias) }} as raw_row
{%- endmacro %}
