-- ECO_PATENTS: see catalogue.toml for its definition, unit and standard.
select * from stat_per_capita('patents_registered', 100000)
