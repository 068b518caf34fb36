/* The words of the demo site (news/demo.c): a fictional harbour city, Port Alder, and its
 * newsroom. Every headline and lead is hand-written; the body paragraphs come from small
 * per-section pools with names and numbers filled in, so each article reads differently. */
#pragma once

struct demo_article {
    int section; /* index into demo_sections */
    const char *title;
    const char *lead;
    const char *tags; /* comma-separated */
};

static const char *const demo_sections[] = {"City", "Business", "Science", "Culture", "Sport"};
#define DEMO_SECTIONS 5

/* Newest first. */
static const struct demo_article demo_articles[] = {
    {0, "Harbour tram line opens to first passengers",
     "The first tram in forty years rolled along the Quays at 6:12 on Monday morning, carrying commuters, a brass band "
     "and more than a few residents who had waited up all night to be aboard.",
     "transport,trams,the-quays"},
    {1, "Fish market traders vote to stay on the waterfront",
     "Traders at the old fish market have rejected a council offer to move inland, saying the smell of the sea is "
     "part of what their customers pay for.",
     "markets,waterfront,council"},
    {2, "Volunteers count a record number of seals in the estuary",
     "A weekend survey by forty volunteers found 212 grey seals on the mudbanks below Millbrook, the highest count "
     "since records began in 1998.",
     "wildlife,estuary,volunteers"},
    {3, "Lighthouse keeper's diaries go on show at the city museum",
     "Seventy years of handwritten logbooks, kept by three generations of the Marlowe family, are on public display "
     "for the first time.",
     "museum,history,exhibitions"},
    {4, "Port Alder Rovers snatch late win in the harbour derby",
     "A header in the ninety-third minute gave the Rovers a 2-1 victory over Eastgate Athletic and sent half of the "
     "stadium into the night singing.",
     "football,rovers,derby"},
    {0, "Council agrees to light the riverside path after dark",
     "After two years of petitions, the riverside path between Old Town and Northfield will get low, warm lamps "
     "that councillors say will not disturb the bats.",
     "council,safety,northfield"},
    {1, "Shipyard wins its largest order in a decade",
     "Alder Marine will build four electric ferries for a Scandinavian operator, securing work for around 300 people "
     "until the end of the decade.",
     "shipyard,jobs,ferries"},
    {2, "University team turns seaweed into packaging",
     "Researchers at the Port Alder Institute say a film made from farmed kelp can replace the plastic wrap used on "
     "fresh fish, and breaks down in a garden compost heap within weeks.",
     "research,plastics,university"},
    {3, "Jazz festival adds a free stage in Millbrook Park",
     "Organisers of the summer jazz festival say one stage will charge no entry this year, after ticket prices drew "
     "complaints from families.",
     "music,festivals,millbrook"},
    {4, "Rowing club celebrates a century on the river",
     "The Port Alder Rowing Club marked its hundredth year with a regatta, a reunion of former crews and a boat "
     "named after its oldest living member.",
     "rowing,clubs,anniversaries"},
    {0, "Northfield library to open on Sundays",
     "From next month the Northfield branch library will open from noon to five on Sundays, staffed by a mix of "
     "librarians and trained volunteers.",
     "libraries,northfield,council"},
    {1, "Independent bookshop finds new owners after appeal",
     "Harbour Books, which has traded on Chandler Street since 1962, will stay open after two former staff members "
     "raised the money to buy it.",
     "shops,books,old-town"},
    {2, "Night sky survey finds Port Alder darker than feared",
     "Amateur astronomers measured the brightness of the sky at thirty sites and found that the Milky Way is still "
     "visible from most of the city's parks.",
     "astronomy,light-pollution,volunteers"},
    {3, "Old Town theatre reopens after three-year restoration",
     "The Regent, a 1908 theatre that closed when part of its ceiling fell in, opened its doors again with a sold-out "
     "run of a new play about the city's dockers.",
     "theatre,restoration,old-town"},
    {4, "Marathon route changed to avoid harbour bridge works",
     "This year's city marathon will loop through Eastgate instead of crossing the harbour bridge, which is closed "
     "for repairs until autumn.",
     "running,marathon,roadworks"},
    {0, "Residents plant 1,200 trees along the ring road",
     "Hundreds of people turned out with spades on Saturday to plant a new belt of oak, hazel and rowan beside the "
     "busiest road in the city.",
     "trees,environment,volunteers"},
    {1, "Café chain pays staff for time spent on training",
     "Tidewater Coffee says all 140 of its baristas will be paid for the hours they spend on courses, a change "
     "unions have asked for since the chain opened.",
     "work,hospitality,unions"},
    {2, "Tidal turbine passes its first winter",
     "A test turbine anchored off Gull Point produced power on 281 days since it was lowered into the water last "
     "spring, its operators say.",
     "energy,tides,engineering"},
    {3, "Street artists invited to repaint the ferry terminal",
     "Six artists have been chosen to cover the grey walls of the ferry terminal with murals that tell the story of "
     "the city's harbour.",
     "art,murals,ferries"},
    {4, "Swimmers brave the cold for the New Year harbour dip",
     "More than 400 swimmers ran into water measured at seven degrees, raising money for the lifeboat crew that "
     "watched over them.",
     "swimming,charity,lifeboats"},
    {0, "Bus fares frozen for another year",
     "The regional transport board has agreed not to raise bus fares, paying for the freeze with money from the new "
     "parking charges at the retail park.",
     "transport,buses,fares"},
    {1, "Harbour warehouses to become workshops for small firms",
     "Three empty warehouses on Rope Walk will be divided into forty workshops, with rents set below the city "
     "average for the first five years.",
     "property,small-business,the-quays"},
    {2, "School pupils build a weather station on the roof",
     "Students at Eastgate Secondary have built a weather station whose readings now appear on the school's website "
     "every ten minutes.",
     "schools,weather,eastgate"},
    {3, "City choir wins national competition",
     "The Port Alder Community Choir, whose youngest member is eleven and oldest is ninety, took first place in the "
     "national amateur choir finals.",
     "music,choirs,awards"},
    {4, "Cricket ground gets new pavilion after fire",
     "Eighteen months after a fire destroyed the old wooden pavilion, the Millbrook cricket club has moved into a new "
     "one built largely by its own members.",
     "cricket,clubs,millbrook"},
    {0, "Old Town streets to close to cars on Saturdays",
     "A six-month trial will close five streets in Old Town to traffic every Saturday, giving the space to market "
     "stalls, cafés and children's games.",
     "traffic,old-town,markets"},
    {1, "Ferry operator promises fewer cancellations",
     "After a winter of cancelled sailings, Alder Ferries says two new crews and a spare engine will keep the island "
     "service running in all but the worst weather.",
     "ferries,transport,islands"},
    {2, "Microplastics found in every sample from city beaches",
     "A study of sand from five beaches found tiny plastic fragments in all of them, though levels were lower than "
     "in similar cities along the coast.",
     "research,plastics,beaches"},
    {3, "Poet laureate for the city announced",
     "Ada Fenwick, a former ferry deckhand whose first collection sold out in a week, will serve as Port Alder's "
     "poet laureate for the next two years.",
     "poetry,books,awards"},
    {4, "Basketball team reaches its first final",
     "The Alder Gulls beat the league leaders 88-81 to reach their first national cup final in the club's "
     "twenty-year history.",
     "basketball,gulls,cup"},
    {0, "New playground opens in Eastgate",
     "The playground on Tanner's Green was designed with help from the children who will use it, and it shows: there "
     "is a pirate ship, a rope bridge and a very tall slide.",
     "parks,eastgate,children"},
    {1, "Brewery expands into the old customs house",
     "Gull Point Brewing will move its taproom into the customs house on the quay, bringing a listed building back "
     "into use after fifteen years.",
     "brewing,heritage,the-quays"},
    {2, "Hospital trials robot that carries samples between wards",
     "A small robot has begun carrying blood samples through the corridors of the General Hospital at night, saving "
     "porters thousands of steps.",
     "health,robots,hospital"},
    {3, "Film about the 1953 flood premieres at harbour cinema",
     "A documentary built from home movies and survivors' memories drew a full house and a long silence at its "
     "premiere.",
     "film,history,flood"},
    {4, "Sailing school offers free lessons to teenagers",
     "The harbour sailing school will give fifty free places a year to teenagers who have never been on a boat.",
     "sailing,youth,the-quays"},
    {0, "Water main repairs to close Fore Street for a week",
     "Engineers will replace a Victorian water main under Fore Street, closing the road from Monday and diverting "
     "four bus routes.",
     "roadworks,water,old-town"},
    {1, "Local bakery's sourdough wins a national prize",
     "A loaf from Crumb & Crust in Millbrook has been named the best sourdough in the country by a panel of judges.",
     "food,awards,millbrook"},
    {2, "Bird flu checks stepped up along the coast",
     "Wardens will walk the shoreline twice a week after several dead gulls were found near the estuary; officials say "
     "the risk to people remains very low.",
     "wildlife,health,estuary"},
    {3, "Museum asks the public to name a whale skeleton",
     "The natural history museum has hung a twelve-metre whale skeleton in its main hall and wants the city to choose "
     "its name.",
     "museum,whales,competitions"},
    {4, "Cycling club maps safe routes to school",
     "Members of the Alder Wheelers have ridden every street around the city's primary schools to draw a map of the "
     "safest ways in.",
     "cycling,schools,safety"},
    {0, "City budget puts repairs before new projects",
     "The council's budget for next year spends more on fixing roads, roofs and drains than on anything new, a change "
     "the leader called boring but overdue.",
     "council,budget,roads"},
    {1, "Market hall reopens with twenty new stalls",
     "The covered market on Union Square has reopened after a refurbishment, with a waiting list of traders for the "
     "stalls that are still empty.",
     "markets,shops,old-town"},
    {2, "Coastal erosion slower than predicted, survey says",
     "Ten years of drone surveys show the cliffs at Gull Point are retreating by about thirty centimetres a year, "
     "less than half the rate once feared.",
     "coast,erosion,research"},
    {3, "Folk club celebrates its 500th night",
     "The folk club that meets above the Anchor on Wednesday nights held its five hundredth session, with a "
     "songbook of every tune ever played there.",
     "music,folk,pubs"},
    {4, "Harbour swim race sets a course record",
     "Eighteen-year-old Nia Stroud crossed the harbour in 21 minutes and 40 seconds, beating a record that had stood "
     "since 2009.",
     "swimming,records,youth"},
};
#define DEMO_ARTICLES (sizeof(demo_articles) / sizeof(demo_articles[0]))

static const char *const demo_places[] = {"the Quays",  "Old Town",   "Millbrook",    "Eastgate",
                                          "Northfield", "Gull Point", "Union Square", "Rope Walk"};
static const char *const demo_people[] = {"Ruth Amsel",   "Daniel Okoro", "Lena Voss",  "Marco Bell",    "Hannah Pryce",
                                          "Samir Haddad", "Grace Tully",  "Owen Marsh", "Ines Carvalho", "Peter Lund"};
static const char *const demo_roles[] = {"a councillor for {place}",
                                         "who has lived in {place} for thirty years",
                                         "the project's manager",
                                         "a spokesperson for the city council",
                                         "who chairs the {place} residents' association",
                                         "a local shop owner"};

/* Body paragraphs per section; {place}, {person}, {role} and {num} are filled in. */
static const char *const demo_paras[DEMO_SECTIONS][6] = {
    {"Work began in {place} in the spring, and the council says it finished within the budget it set two years "
     "ago, which {person}, {role}, called \"a small miracle for this city\".",
     "Not everyone is convinced. Some residents of {place} told the Gazette that they had not been asked, and a "
     "petition with {num} signatures asks the council to think again.",
     "The council will publish the figures each month, and says it will review the scheme after a year.",
     "Officials expect around {num} people a day to use it by the end of the summer, rising as word spreads.",
     "\"We listened to what people told us at the meetings,\" said {person}. \"This is what they asked for.\"",
     "Questions can be put to councillors at the next open meeting in {place}, on the first Tuesday of the month."},
    {"The firm employs {num} people, most of them living within a few miles of {place}.",
     "{person}, {role}, said the decision had not been easy but that the numbers finally added up.",
     "Trade has recovered since last winter, but costs for energy and rent remain well above where they were five "
     "years ago.",
     "\"Small firms are the backbone of this city,\" said {person}. \"When they do well, everyone does well.\"",
     "The chamber of commerce says that more than {num} new businesses registered in the city last year.",
     "Customers seem pleased. On a grey Tuesday afternoon there was a queue out of the door in {place}."},
    {"The results have been submitted to a journal and shared with other researchers ahead of publication.",
     "{person}, who led the work, said the team had been surprised: \"We expected the opposite, so we checked it "
     "three times.\"",
     "The project cost about {num} pounds, most of it paid for by a national research fund.",
     "Volunteers from {place} helped collect the data, often in wind and rain.",
     "Scientists caution that one season of measurements is not enough to be sure, and the work will continue next "
     "year.",
     "The data is open: anyone can download the measurements from the institute's website and check them."},
    {"Tickets are on sale now, with {num} seats at a reduced price for students and people on low incomes.",
     "{person}, {role}, said the city had always been at its best when it told its own stories.",
     "The opening night drew a crowd of all ages, from schoolchildren to pensioners who remembered the old days "
     "in {place}.",
     "\"It is a love letter to this harbour,\" said {person}. \"The good parts and the hard parts.\"",
     "The programme runs until the end of the month, with events in {place} most weekends.",
     "Entry is free on the first Sunday of each month."},
    {"The club now has {num} members, more than at any time in its history.",
     "{person}, {role}, said the result was reward for a long, wet winter of training.",
     "Supporters gathered in {place} afterwards, and the celebrations went on long after dark.",
     "\"Nobody gave us a chance,\" said {person}. \"That is the best feeling in sport.\"",
     "The next fixture is at home in a fortnight, and tickets are expected to sell out.",
     "Coaches say the number of children joining has doubled since last season."},
};

static const char *const demo_headings[] = {"What happens next", "How it came about", "What people say", "The numbers",
                                            "Looking ahead"};

static const char *const demo_list_items[] = {"Opening hours are posted on the council's website.",
                                              "Parking nearby is free after 6 p.m.",
                                              "There will be a public meeting in {place} next month.",
                                              "Step-free access is available at every entrance.",
                                              "Booking ahead is recommended at weekends.",
                                              "Volunteers are still wanted; sign-up sheets are at the library.",
                                              "A second phase is planned for {place}.",
                                              "Questions can be sent to the newsroom."};

static const char *const demo_quotes[] = {
    "We have waited a long time for this, and it was worth the wait.",
    "It is not perfect, but it is a real start, and the city should be proud of it.",
    "Ask anyone in {place}: this is what people have been talking about all year.",
    "You cannot plan a harbour city around cars. You plan it around people."};

/* What readers write; replies answer a comment above them. */
static const char *const demo_comments[] = {
    "Finally! I have been waiting for this since I was at school.",
    "Good news, but I hope they remember the people in Northfield too.",
    "I went along on Saturday and it was lovely. Well done to everyone involved.",
    "Does anyone know whether it will be open on bank holidays?",
    "This is exactly the kind of thing the council should be spending money on.",
    "I am not so sure. Who is going to pay for the upkeep in ten years?",
    "My grandfather worked on the harbour all his life. He would have loved this.",
    "Great reporting, thank you for covering it properly.",
    "The photos do not do it justice. Go and see it for yourself.",
    "It was about time. The old arrangement was a disgrace.",
    "Brilliant. Any chance of something similar in Eastgate?",
    "I read the report linked above and the figures look sound to me.",
};

static const char *const demo_replies[] = {
    "I agree entirely, it has made a real difference on our street.",
    "Fair point, though the article says the upkeep is already budgeted.",
    "Yes, the sign at the entrance says it is open every day of the year.",
    "Same here, I went with the kids and we stayed all afternoon.",
    "I think they plan to, if this one goes well. Fingers crossed.",
    "Thanks, that is useful to know.",
    "Not everyone can get there easily, so I see why people are asking.",
    "Ha, my grandmother said exactly the same thing.",
};

static const char *const demo_commenters[][3] = {
    {"Molly Hart", "molly@example.com", ""},
    {"Ben Ashdown", "ben.ashdown@example.org", "https://ben.example.org/"},
    {"Priti Shah", "priti@example.net", ""},
    {"George Fell", "gfell@example.com", ""},
    {"Kasia Nowak", "kasia.nowak@example.org", "https://kasia.example.net/"},
    {"Tom Reed", "tom@example.net", ""},
    {"Aisha Bello", "aisha@example.com", ""},
    {"Harbour Watcher", "watcher@example.org", ""},
};

static const char demo_about[] =
    "The Port Alder Gazette is the independent news site of a small harbour city. We cover the council, the "
    "quays, the people who work on them, and everything in between.\n"
    "\n"
    "## Who we are\n"
    "\n"
    "A newsroom of four reporters and a handful of volunteers. We are funded by our readers and by local "
    "advertising, and no advertiser has a say in what we write.\n"
    "\n"
    "## What we promise\n"
    "\n"
    "- We correct our mistakes, openly and quickly.\n"
    "- We never publish a commenter's email address.\n"
    "- We keep our comment section civil, and we read every comment before it is removed.\n"
    "\n"
    "Write to the newsroom at news@example.com.\n";
