-- GOV_OPEN_DATA: see catalogue.toml for its definition, unit and standard.
select * from stat_ratio('open_datasets_published', 'open_datasets_inventoried', 100)
