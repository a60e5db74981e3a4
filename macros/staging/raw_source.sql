{#
    The raw table of a source, for base models: `source(...)`, which reads
    the seeded demo table, or in raw_path mode the export files through
    dbt-duckdb's external location. In seed mode it also declares the seed
    as a dependency, so a plain `dbt build` loads the seed before the model
    reads it (a `source()` alone carries no dependency on a seed). In
    raw_path mode it first checks that every export file carries the raw
    table's columns (check_raw_files).
#}
{% macro raw_source(source_name, table_name) -%}
    {%- if not var('jornada__using_' ~ source_name, true) -%}
        {{ return(jornada.empty_raw_relation(source_name, table_name)) }}
    {%- endif -%}
    {%- if not var('raw_path', '') -%}
        {%- do ref(source_name ~ '__' ~ table_name) -%}
    {%- else -%}
        {%- do jornada.check_raw_files(source_name, table_name) -%}
    {%- endif -%}
    {{ return(source(source_name, table_name)) }}
{%- endmacro %}

{#
    raw_path mode's guard on the export files of one raw table, run when a
    base model compiles. Every file must carry every column of the raw
    table's seed properties (`column_types`, written by
    scripts/generate_raw.py), so a file that lost a column fails the build
    with the file and the column named, instead of loading nulls that
    quarantine or drop its rows silently (union_by_name fills a missing
    column with null). Columns the seed does not know are ignored (schema
    drift: a vendor adds a field). Zero-byte files (an NDJSON export of no
    events) hold nothing and are not checked; a file with a header and no
    rows is checked like any other. A folder without any file fails with
    its path. Each file is read with the source's own external location, so
    the check sees the columns the model will.
#}
{% macro check_raw_files(source_name, table_name) -%}
    {{ return(adapter.dispatch('check_raw_files', 'jornada')(source_name, table_name)) }}
{%- endmacro %}

{# raw_path mode reads files through dbt-duckdb only; other adapters read tables. #}
{% macro default__check_raw_files(source_name, table_name) -%}
{%- endmacro %}

{% macro duckdb__check_raw_files(source_name, table_name) -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set raw_table = source_name ~ '.' ~ table_name -%}
    {%- set seed = graph.nodes.get('seed.jornada.' ~ source_name ~ '__' ~ table_name) -%}
    {%- set source_node = graph.sources.get('source.jornada.' ~ raw_table) -%}
    {%- if seed is none or source_node is none -%}
        {{ exceptions.raise_compiler_error(
            "raw_path mode: no seed properties or source describe the raw table " ~ raw_table
            ~ ", so its files cannot be checked."
        ) }}
    {%- endif -%}
    {%- set location = source_node.meta.external_location
        | replace('{source_dir}', source_node.meta.source_dir)
        | replace('{name}', source_node.name) -%}
    {%- set pattern = location.split("'")[1] -%}
    {%- set files = run_query("select filename, size from read_blob('" ~ pattern ~ "') order by filename") -%}
    {%- if files.rows | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "raw_path mode: no export file of raw table " ~ raw_table ~ " matches " ~ pattern
            ~ " (generate it, or switch the source off with jornada__using_" ~ source_name ~ ": false)."
        ) }}
    {%- endif -%}
    {%- set checked = [] -%}
    {%- for file in files.rows if file[1] > 0 -%}
        {%- do checked.append(file[0]) -%}
    {%- endfor -%}
    {%- if checked | length == 0 -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set describe_sql -%}
        {%- for file in checked %}
            select {{ loop.index }} as file_number, lower(column_name) as column_name
            from (describe select * from {{ location | replace(pattern, file) }})
            {% if not loop.last %}union all{% endif %}
        {%- endfor %}
    {%- endset -%}
    {%- set found = {} -%}
    {%- for row in run_query(describe_sql).rows -%}
        {%- do found.setdefault(checked[(row[0] | int) - 1], []).append(row[1]) -%}
    {%- endfor -%}
    {%- set problems = [] -%}
    {%- for file in checked -%}
        {%- set missing = [] -%}
        {%- for column in seed.config.column_types.keys() if column | lower not in found.get(file, []) -%}
            {%- do missing.append(column) -%}
        {%- endfor -%}
        {%- if missing -%}
            {%- do problems.append(
                "file " ~ file ~ " lacks column" ~ ('s ' if missing | length > 1 else ' ') ~ missing | join(', ')
            ) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error(
            "raw_path mode: export files of raw table " ~ raw_table ~ " lack required columns: "
            ~ problems | join('; ')
            ~ ". Every file must carry the columns of seed " ~ seed.name ~ " ("
            ~ (seed.patch_path or 'seeds/raw') | replace('jornada://', '') ~ "); extra columns are ignored."
        ) }}
    {%- endif -%}
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
