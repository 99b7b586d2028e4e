-- GOV_SPBE: see catalogue.toml for its definition, unit and standard.
select * from stat_value('spbe_index')
