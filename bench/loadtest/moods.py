"""The mood texts load-test users type into Vibe and Together (bench/loadtest/locustfile.py), also what
`make bench-gateway-cpu` asks Vibe (bench/gateway_cpu.py): most name a genre, so the zone's genre-constrained
scan runs, as it does for people."""

MOODS = ["slow-burn sci-fi with a twist", "something funny for a rainy Sunday", "a tense heist thriller, not too long",
         "heartwarming family film", "dark psychological mystery", "an epic war story", "a gentle romance in Paris",
         "weird dreamy animation", "a road movie about friendship", "violent western about revenge"]
