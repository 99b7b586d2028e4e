-- MOB_ROAD_ICT: see catalogue.toml for its definition, unit and standard.
select * from stat_ratio('major_road_km_ict_monitored', 'major_road_km', 100)
