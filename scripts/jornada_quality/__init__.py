"""Jornada's data-quality run (great-expectations on the marts) and KPI alert reader.

- `warehouse`: read-only access to the DuckDB warehouse, marts read as pandas DataFrames;
- `spec`: what the suite checks against: the KPI names of docs/KPIS.md and the marts'
  primary keys declared in their ymls;
- `suite`: the datasets read from the marts and the expectations on each;
- `runner`: runs the expectations with great-expectations' pandas path and writes Data Docs;
- `report`: the readable summary of a run;
- `alerts`: reading, filtering and printing `marts.kpi_alerts`.
"""
