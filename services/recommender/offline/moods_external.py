"""External mood set: written by a separate helper session that saw neither the team's labelled moods
(moods.py) nor any Vibe output. Only reported on, never tuned on (make eval, zone_quality).
Written blind from the data folder's TMDb files alone; every keyword was checked to occur in
the TMDb 10k / TMDb 5000 keyword data (178 distinct keywords, each on at least 10 films)."""

from __future__ import annotations

from services.recommender.offline.moods import Mood

EXTERNAL: tuple[Mood, ...] = (
    # --- plain moods: subjects, settings, eras, feelings, occasions ---
    Mood("robots", ("Science Fiction",), ("robot", "android", "cyborg", "artificial intelligence", "killer robot")),
    Mood("bank job gone wrong", ("Crime", "Thriller"), ("heist", "robbery", "bank", "bank robbery", "thief", "theft")),
    Mood(
        "something gentle and sweet to watch with my gran on a sunday afternoon",
        ("Family", "Comedy", "Romance"),
        ("friendship", "small town", "love", "family"),
    ),
    Mood(
        "proper 80s action, big explosions and cheesy one-liners",
        ("Action",),
        ("1980s", "explosion", "shootout", "car chase", "gunfight"),
    ),
    Mood("HAUNTED HOUSE", ("Horror",), ("haunted house", "ghost", "haunting", "supernatural", "possession")),
    Mood(
        "need a sad film to have a good cry to",
        ("Drama", "Romance"),
        ("dying and death", "cancer", "grief", "loss of lover", "sadness", "terminal illness", "loss of father"),
    ),
    Mood("films set in Paris", (), ("paris", "france")),
    Mood("groovy 70s vibes", ("Music",), ("1970s", "hippie")),
    Mood(
        "date night, something romantic and a bit funny",
        ("Romance", "Comedy"),
        ("romantic comedy", "new love", "falling in love", "date", "love"),
    ),
    Mood(
        "serial killer thriller that'll keep me up at night",
        ("Thriller", "Crime", "Mystery", "Horror"),
        ("serial killer", "psychopath", "series of murders", "psychological thriller", "investigation"),
    ),
    Mood(
        "pirates and sword fights on the high seas",
        ("Adventure", "Action"),
        ("pirate", "sword", "sword fight", "sea", "ship", "ocean", "treasure", "shipwreck"),
    ),
    Mood("ww2", ("War", "History"), ("world war ii", "nazis", "holocaust", "prisoner of war", "resistance", "soldier")),
    Mood(
        "zomibe apocalypse",
        ("Horror",),
        ("zombies", "zombie", "zombie apocalypse", "post-apocalyptic", "apocalypse", "survival"),
    ),
    Mood(
        "underdog sports story that makes you want to cheer",
        (),
        ("sport", "underdog", "baseball", "american football", "basketball", "boxer", "soccer", "competition"),
    ),
    Mood(
        "something trippy and mind-bending that messes with your head",
        ("Science Fiction", "Mystery", "Thriller"),
        (
            "surrealism",
            "dream",
            "hallucination",
            "virtual reality",
            "time travel",
            "amnesia",
            "mind control",
            "paranoia",
        ),
    ),
    Mood(
        "Teen movie about high school and growing up",
        ("Comedy", "Drama", "Romance"),
        ("high school", "teenager", "coming of age", "teen movie", "becoming an adult", "prom", "teen comedy"),
    ),
    Mood(
        "road trip with friends",
        ("Comedy", "Adventure"),
        ("road trip", "road movie", "friendship", "friends", "travel"),
    ),
    Mood(
        "cyberpunk dystopia w/ hackers",
        ("Science Fiction",),
        ("cyberpunk", "dystopia", "hacker", "artificial intelligence", "virtual reality", "computer", "future"),
    ),
    Mood("kung fu", ("Action",), ("martial arts", "kung fu", "ninjas", "karate", "fight")),
    Mood(
        "spy movie with gadgets and double crosses, bond style",
        ("Action", "Thriller"),
        ("spy", "secret agent", "cia", "espionage", "british secret service", "undercover", "betrayal"),
    ),
    Mood(
        "cowboys n outlaws in the old west",
        ("Western",),
        ("outlaw", "sheriff", "bounty hunter", "gunslinger", "showdown", "horse"),
    ),
    Mood(
        "ALIEN INVASION!!!",
        ("Science Fiction",),
        ("alien invasion", "alien", "alien life-form", "ufo", "spaceship", "saving the world"),
    ),
    # --- negation-looking words that are NOT exclusions ---
    Mood(
        "an epic fantasy adventure that's not to be missed",
        ("Fantasy", "Adventure"),
        ("magic", "dragon", "sword", "kingdom", "prophecy", "sword and sorcery"),
    ),
    Mood(
        "nothing but fun: car chases, explosions, the works",
        ("Action", "Adventure"),
        ("car chase", "explosion", "chase", "shootout", "car race"),
    ),
    Mood("i never get tired of dinosaur movies", (), ("dinosaur",)),
    # --- exclusions, each phrased differently ---
    Mood("funny stuff pls, no horror", ("Comedy",), ("spoof", "parody", "dark comedy", "satire"), exclude=("Horror",)),
    Mood(
        "a gripping whodunnit that's not too scary",
        ("Mystery", "Crime"),
        ("detective", "murder", "investigation", "private detective", "riddle"),
        exclude=("Horror",),
    ),
    Mood(
        "period drama without the war stuff",
        ("History", "Romance"),
        ("19th century", "royalty", "queen", "historical figure", "kingdom", "prince", "princess"),
        exclude=("War",),
    ),
    Mood("kids film with real actors, no cartoons", ("Family",), ("kids and family",), exclude=("Animation",)),
    Mood(
        "anything but a romcom tonight",
        (
            "Action",
            "Adventure",
            "Thriller",
            "Crime",
            "Science Fiction",
            "Horror",
            "Mystery",
            "Drama",
            "Comedy",
            "Fantasy",
            "War",
            "Western",
        ),
        (),
        exclude=("Romance",),
    ),
    Mood(
        "superhero stuff minus the goofy jokes",
        ("Action", "Science Fiction", "Fantasy"),
        ("superhero", "based on comic book", "marvel comic", "dc comics", "super powers"),
        exclude=("Comedy",),
    ),
    Mood(
        "horror-free halloween movie for the kids",
        ("Family", "Animation", "Fantasy"),
        ("halloween", "witch", "ghost", "magic", "monster"),
        exclude=("Horror",),
    ),
    Mood(
        "sci fi but skip the action, something thoughtful",
        ("Science Fiction",),
        ("artificial intelligence", "time travel", "dystopia", "space travel", "future"),
        exclude=("Action",),
    ),
    Mood(
        "im in the mood for excitement but i dont want war movies",
        ("Action", "Adventure", "Thriller"),
        ("chase", "escape", "rescue", "heist"),
        exclude=("War",),
    ),
    Mood(
        "a comedy but not a romantic one",
        ("Comedy",),
        ("spoof", "parody", "buddy comedy", "dark comedy", "satire", "stand-up"),
        exclude=("Romance",),
    ),
    Mood(
        "thrilling jungle adventure, nothing with swords and sorcery in it",
        ("Adventure", "Action"),
        ("jungle", "treasure hunt", "treasure", "island", "exotic island", "survival"),
        exclude=("Fantasy",),
    ),
    Mood(
        "a cop movie, not a comedy",
        ("Crime", "Thriller"),
        ("police", "detective", "cop", "undercover", "corruption"),
        exclude=("Comedy",),
    ),
    Mood(
        "true story please, no fantasy or sci-fi nonsense",
        ("History", "Documentary"),
        ("based on true story", "biography", "historical figure"),
        exclude=("Fantasy", "Science Fiction"),
    ),
    Mood(
        "christmas movie that isnt a cartoon",
        (),
        ("christmas", "santa claus", "christmas eve", "christmas party", "holiday"),
        exclude=("Animation",),
    ),
    Mood(
        "a feel good music film, anything except a documentary",
        ("Music",),
        ("musical", "musician", "singer", "concert", "rock star", "dancing", "song"),
        exclude=("Documentary",),
    ),
)

GIBBERISH: tuple[str, ...] = (
    "asdfgh jkl",
    "qwertyuiop",
    "zxcvbnm zxcv",
    "hjkl;hjkl;",
    "blorp zindle quav",
    "flimbo kratz wunnel",
    "snarfle obbledy groo",
    "x7qz 99kk",
    "k3j4h5 g6f7",
    "qq88zz01 pvx",
    "aaaaaaaaaaaa",
    "zzzzz zzzzz zzz",
    "mmmmmmmmmmmmmmmm",
    "lorem ipsum dolor sit amet",
    "consectetur adipiscing elit sed do eiusmod",
    "fnurglewump",
    "xyloquint",
    "?!?!?!...;;;",
    "#@%&*!! ~~~ ^^^",
    "..,,//;;''[[]]",
    "wqpeoir uty",
    "ghhhrk pffft zzt",
    "dsjfklsd fjslkdfj",
)
