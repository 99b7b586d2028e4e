-- ECO_DIGITAL_MSME: see catalogue.toml for its definition, unit and standard.
select * from stat_per_capita('qris_merchants', 1000)
