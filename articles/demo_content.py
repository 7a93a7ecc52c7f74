"""Demo content for The Meridian, loaded by the `load_demo` management command.

Pure data: the site description, authors, categories and stories with their comments.
All people, quotes and most events are fictional. Story dates are relative: `days_ago`
counts back from the day the demo is loaded (a negative value is in the future).
"""

SITE = {
    "site_name": "The Meridian",
    "tagline": "Independent reporting on the world, clearly told.",
    "summary": (
        "The Meridian is an independent news publication covering world affairs, politics, "
        "business, technology, science, culture and sport. We are owned by a charitable trust "
        "and funded by our readers, and we answer to no party, proprietor or advertiser."
    ),
    "body": """<p>The Meridian is an independent news publication founded to provide clear, careful reporting on the events that shape the world. We cover international affairs, politics, business, technology, science, culture and sport, with particular depth on Central Asia, where we maintain one of the few dedicated English-language bureaus.</p>
<p>We are owned by a charitable trust and funded by our readers through subscriptions and donations. No shareholder, advertiser or political party has any say over what we publish, and our editor is appointed by the trustees for a fixed term.</p>
<h2>Our standards</h2>
<p>Every story we publish is guided by a few simple principles:</p>
<ul>
<li><strong>Accuracy first.</strong> We check facts before we publish, and we would rather be right than first.</li>
<li><strong>Fairness.</strong> We give the people and organisations we report on a reasonable opportunity to respond.</li>
<li><strong>Independence.</strong> Our journalists do not accept gifts, paid travel or fees from the people they cover.</li>
<li><strong>Clarity.</strong> We explain rather than assume, and we keep reporting separate from opinion.</li>
</ul>
<h2>Corrections</h2>
<p>When we get something wrong, we say so. Corrections and updates appear in a box above the text of the story concerned, newest first, each with its date and a short description of what was changed, and the story shows when it was last updated.</p>
<h2>Contact</h2>
<p>To report an error, suggest a story or reach our newsroom, write to <a href="mailto:newsroom@localhost">newsroom@localhost</a>. To point out an error in a story, you can also leave a comment under it: every comment is read by a moderator before it appears. We read every message, although we cannot reply to them all.</p>
<p>Reader comments are welcome on most stories. They are moderated before they appear, and we ask that you follow our <em>community guidelines</em>: be civil, stay on topic and do not post personal information about others.</p>""",
}

AUTHORS = [
    {
        "username": "asel.nurlanova",
        "first_name": "Asel",
        "last_name": "Nurlanova",
        "email": "asel@example.com",
    },
    {
        "username": "james.okafor",
        "first_name": "James",
        "last_name": "Okafor",
        "email": "james@example.com",
    },
    {
        "username": "marta.lindqvist",
        "first_name": "Marta",
        "last_name": "Lindqvist",
        "email": "marta@example.com",
    },
    {
        "username": "rohan.mehta",
        "first_name": "Rohan",
        "last_name": "Mehta",
        "email": "rohan@example.com",
    },
    {
        "username": "claire.dubois",
        "first_name": "Claire",
        "last_name": "Dubois",
        "email": "claire@example.com",
    },
]

CATEGORIES = [
    {
        "name": "World",
        "slug": "world",
        "description": "International news, diplomacy and conflict, with a close eye on Central Asia.",
        "position": 1,
    },
    {
        "name": "Politics",
        "slug": "politics",
        "description": "Parliament, government, elections and the people who hold power to account.",
        "position": 2,
    },
    {
        "name": "Business",
        "slug": "business",
        "description": "Markets, companies, trade and the economy that pays everyone's bills.",
        "position": 3,
    },
    {
        "name": "Technology",
        "slug": "technology",
        "description": "How computing, telecoms and the internet are changing work and daily life.",
        "position": 4,
    },
    {
        "name": "Science",
        "slug": "science",
        "description": "Research, health, climate and space, explained without the hype.",
        "position": 5,
    },
    {
        "name": "Culture",
        "slug": "culture",
        "description": "Books, film, music and the arts, at home and abroad.",
        "position": 6,
    },
    {
        "name": "Sport",
        "slug": "sport",
        "description": "Results, analysis and the business and politics behind the game.",
        "position": 7,
    },
]

STORIES = [
    {
        "title": "Kazakhstan joins the Abraham Accords",
        "slug": "kazakhstan-joins-abraham-accords",
        "category": "world",
        "author": "asel.nurlanova",
        "byline": "",
        "tags": ["Kazakhstan", "Abraham Accords", "Diplomacy", "Central Asia", "Middle East"],
        "standfirst": (
            "Central Asia's largest economy becomes the first country to sign up to the "
            "accords since 2020. The step changes little on the ground, but it signals how "
            "keen Astana is to deepen its ties with Washington."
        ),
        "body": """<p>Kazakhstan has agreed to join the Abraham Accords, the framework under which several Muslim-majority countries normalised relations with Israel, making it the first state to sign up since 2020. The decision was announced during a visit to Washington by President Kassym-Jomart Tokayev, who travelled to the US capital together with the leaders of the four other Central Asian republics.</p>
<p>Officials in Astana presented the move as a natural extension of a foreign policy that has long tried to keep good relations with every major power. American officials described it as proof that the accords still have momentum, and said they hoped more countries would follow before long.</p>
<h2>Mostly symbolic move</h2>
<p>Unlike the countries that joined five years ago, Kazakhstan already has full diplomatic relations with Israel. The two established ties in 1992, months after Kazakhstan became independent, and each has had an embassy in the other's capital for decades. Trade, tourism and cooperation in farming and water technology are well established.</p>
<p>In practical terms, joining therefore changes very little. There is no embassy to open and no first direct flight to celebrate. What membership offers is a seat in a diplomatic club that Washington regards as one of its signature achievements in the Middle East, and a chance for Astana to be seen as a helpful partner on an issue the White House cares about.</p>
<blockquote><p>"Nothing changes on Monday morning for a Kazakh farmer or an Israeli engineer. This is about signalling, and the audience is in Washington," said an analyst at an Almaty think tank.</p></blockquote>
<p>Some observers expect criticism from parts of the Muslim world. In Kazakhstan itself, a secular state with a Muslim-majority population, reaction on the first day was muted.</p>
<h2>Political background</h2>
<p>Mr Tokayev became president in 2019, when his predecessor, Nursultan Nazarbayev, stepped down after almost three decades in power. Deadly unrest in January 2022, which began with protests against a rise in fuel prices, was followed by a shake-up of the political elite and a package of constitutional changes, including a limit of a single seven-year presidential term.</p>
<p>Abroad, Kazakhstan pursues what its diplomats call a multi-vector policy. It belongs to Russian-led economic and security blocs, exports most of its oil through a pipeline that crosses Russian territory, and counts China as one of its largest trading partners and investors. Since Russia's full-scale invasion of Ukraine in 2022 it has worked to spread its bets, courting European and American investors and promoting a trade route across the Caspian Sea that avoids Russia altogether.</p>
<blockquote><p>"We do not see our relationships as a choice between partners. Closer ties with one country are not aimed against anyone else," a senior official at the Kazakh foreign ministry said.</p></blockquote>
<h2>Economic profile</h2>
<p>Kazakhstan is the largest economy in Central Asia, built mainly on oil, gas and metals. It is the world's biggest producer of uranium and holds large reserves of minerals that Western governments now classify as critical to their industries.</p>
<ul>
<li>Gross domestic product of about $288 billion</li>
<li>50th in the world by GDP</li>
<li>89th in the world by GDP per capita</li>
<li>60th on the 2023 Human Development Index</li>
</ul>
<h2>Agreements signed</h2>
<p>The visit also produced a series of commercial deals, most of them focused on minerals and connectivity. Among the largest:</p>
<ul>
<li>A $1.1 billion project to mine and process tungsten, backed by $900 million of financing from the United States</li>
<li>A deal giving the mobile operator Veon access to Starlink satellite services, intended to reach more than 150 million customers in Central Asia from 2026</li>
</ul>
<p>Tungsten, used in everything from cutting tools to armour plating, is dominated by Chinese production, and Washington has made finding other sources a priority. The satellite agreement is aimed at remote areas where building mobile masts is expensive, a real problem in a country larger than Western Europe with a population of around 20 million.</p>
<p>Business groups in Almaty welcomed the agreements but cautioned that large mining projects often take years to move from signing ceremony to first production. <a href="/tag/tungsten/">Tungsten prices</a> are already at a decade high, which may help the project attract further investment.</p>""",
        "days_ago": 0,
        "hour": 9,
        "featured": True,
        "allow_comments": True,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a deep red to salmon pink gradient",
            "caption": "Kazakhstan has had diplomatic relations with Israel since 1992.",
            "credit": "Illustration: The Meridian",
        },
        "corrections": [
            {
                "kind": "correction",
                "hours_later": 1,
                "text": "An earlier version of this story gave the value of the tungsten project "
                "as $1.1 million. It is $1.1 billion.",
            },
            {
                "kind": "update",
                "hours_later": 3,
                "text": "Adds the foreign ministry's statement that the decision "
                "does not change Kazakhstan's position on a Palestinian state.",
            },
        ],
        "comments": [
            {
                "name": "Daniyar K.",
                "email": "daniyar@example.com",
                "body": (
                    "Good news for Қазақстан, but I agree with the analyst: most people here "
                    "will not notice any difference.\n\nThe tungsten deal matters far more "
                    "for the economy than the accords do."
                ),
                "approved": True,
            },
            {
                "name": "Sarah M.",
                "email": "sarah.m@example.com",
                "body": (
                    "Useful explainer. I had no idea the two countries had relations going "
                    "back to 1992, which makes the headline look rather bigger than the news."
                ),
                "approved": True,
            },
            {
                "name": "Léa Fontaine",
                "email": "lea.fontaine@example.com",
                "body": (
                    "The gap between 50th by GDP and 89th per capita says a lot. I would like "
                    "to read more about how the oil money is (or is not) shared out."
                ),
                "approved": True,
            },
            {
                "name": "Ruslan B.",
                "email": "ruslan@example.com",
                "body": (
                    "Symbolic for whom? This will be remembered differently in the region, "
                    "and the article should say so more clearly."
                ),
                "approved": False,
            },
            {
                "name": "Best Deals 2026",
                "email": "promo@example.com",
                "body": "Great article!!! Cheap flights to Astana, visit our site for 70% off.",
                "approved": False,
            },
        ],
    },
    {
        "title": "Caspian states agree to share data as the sea keeps shrinking",
        "slug": "caspian-states-share-data-shrinking-sea",
        "category": "world",
        "author": "asel.nurlanova",
        "byline": "By our Central Asia correspondent",
        "tags": ["Kazakhstan", "Central Asia", "Climate", "Environment", "Diplomacy"],
        "standfirst": (
            "The five countries around the world's largest inland sea will publish water-level "
            "readings on a shared platform, after years of warnings that the shoreline is "
            "retreating faster than expected."
        ),
        "body": """<p>The five countries bordering the Caspian Sea have agreed to share water-level and water-quality data in real time, after years of warnings that the world's largest inland body of water is shrinking faster than scientists expected.</p>
<p>Environment ministers from Azerbaijan, Iran, Kazakhstan, Russia and Turkmenistan signed the agreement at a meeting in the Kazakh port city of Aktau. It commits each government to install monitoring stations along its coastline and to publish the readings on a common platform within two years.</p>
<h2>A retreating shoreline</h2>
<p>The northern Caspian, which is shallow, has been hit hardest. Along parts of the Kazakh coast the water has pulled back by several kilometres, leaving jetties stranded on dry land and threatening the breeding grounds of the Caspian seal, an endangered species found nowhere else.</p>
<p>Scientists attribute the decline to a combination of higher evaporation as temperatures rise and reduced flow from the Volga, which supplies most of the sea's fresh water.</p>
<blockquote><p>"For the first time we will all be looking at the same numbers at the same moment. That sounds modest, but it has taken a long time to get here," said a member of the Kazakh delegation.</p></blockquote>
<h2>Ports and shipping at risk</h2>
<p>The falling level is also a commercial problem. Ports at Aktau and Kuryk have had to dredge their channels more often, and shipping companies warn that vessels may have to carry lighter loads. That matters for the trade route across the Caspian that links China and Central Asia with Europe.</p>
<p>Environmental groups welcomed the deal but said monitoring alone would not reverse the decline, and called for binding limits on the amount of water taken from the rivers that feed the sea.</p>""",
        "days_ago": 8,
        "hour": 11,
        "featured": False,
        "allow_comments": True,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a deep red to salmon pink gradient",
            "caption": "Parts of the northern Caspian coast have retreated by several kilometres.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [
            {
                "name": "Aigerim S.",
                "email": "aigerim@example.com",
                "body": (
                    "I grew up in Aktau and the change in the shoreline over twenty years is "
                    "shocking. Glad someone is finally measuring it properly."
                ),
                "approved": True,
            },
            {
                "name": "Pavel R.",
                "email": "pavel@example.com",
                "body": (
                    "Data sharing is a start, but the Volga is the real issue. Without "
                    "agreements upstream this will not change much."
                ),
                "approved": True,
            },
        ],
    },
    {
        "title": "West African ports agree to share customs data",
        "slug": "west-african-ports-share-customs-data",
        "category": "world",
        "author": "james.okafor",
        "byline": "",
        "tags": ["Africa", "Trade", "Transport"],
        "standfirst": (
            "Linking customs systems along the coast from Abidjan to Lagos should cut the days "
            "lorries spend waiting at borders, officials say."
        ),
        "body": """<p>Five ports on the West African coast will begin sharing customs data electronically under an agreement intended to cut the time it takes to move goods across the region's borders.</p>
<p>The arrangement links customs systems in Abidjan, Tema, Lomé, Cotonou and Lagos, so that a container declared at one port can be tracked as it travels inland without being inspected again at every frontier. Officials say it should reduce the paperwork that has long made it cheaper for some businesses to import from Asia than to buy from their neighbours.</p>
<h2>Days at the border</h2>
<p>Lorry drivers on the coastal corridor between Abidjan and Lagos routinely report waiting a day or more at some crossings. Trade groups estimate that delays and informal payments add a significant share to the cost of goods moved by road.</p>
<blockquote><p>"Every time a truck stops, someone has to pay for it, and in the end that someone is the consumer," said a representative of a regional haulage association.</p></blockquote>
<h2>Part of a wider push</h2>
<p>The project is one of several designed to make the African Continental Free Trade Area, which came into force in 2021, work in practice. Tariff cuts agreed on paper have had limited effect while goods remain stuck at borders. The first phase will cover:</p>
<ul>
<li>Containers in transit to landlocked countries in the Sahel</li>
<li>Agricultural exports such as cocoa and cashew nuts</li>
<li>Fuel and building materials moved by road</li>
</ul>
<p>Officials acknowledged that the technology is the easy part. The harder task, they said, will be persuading border agencies to trust data collected by their counterparts in other countries.</p>""",
        "days_ago": 316,
        "hour": 8,
        "featured": False,
        "allow_comments": True,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a deep red to salmon pink gradient",
            "caption": "The first phase covers goods in transit to landlocked countries.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [
            {
                "name": "Kwame A.",
                "email": "kwame@example.com",
                "body": (
                    "Finally. Anyone who has driven the Abidjan–Lagos road knows exactly what "
                    "this is about."
                ),
                "approved": True,
            },
        ],
    },
    {
        "title": "Floods displaced record numbers last year, UN agency says",
        "slug": "floods-displaced-record-numbers-un-agency",
        "category": "world",
        "author": "marta.lindqvist",
        "byline": "",
        "tags": ["Climate", "Environment"],
        "standfirst": (
            "Weather-related disasters forced more people from their homes than conflict did, "
            "and a growing number are unable to return for months or years."
        ),
        "body": """<p>Floods forced more people from their homes last year than in any year since comparable records began, according to a report published on Tuesday by a United Nations agency.</p>
<p>The report, which draws on data from governments, aid agencies and satellite observations, found that weather-related disasters accounted for the majority of new displacements worldwide, outstripping those caused by conflict.</p>
<h2>Most return, but not all</h2>
<p>Most people displaced by floods are able to go home within weeks. But the report found a growing number remain displaced for months or years, particularly where homes, farmland or water supplies are badly damaged, or where the same areas flood again and again.</p>
<blockquote><p>"Displacement is no longer a single event followed by recovery. For many families it is becoming a cycle," the report's authors wrote.</p></blockquote>
<h2>Calls for early warning</h2>
<p>The agency urged governments to invest in early-warning systems, which it said had saved lives in several countries where evacuations took place before the water arrived. It also called for better data on people who move repeatedly, who are often missed by official statistics.</p>
<p>Aid groups said funding had not kept pace with need, with several humanitarian appeals for flood-hit regions less than half funded by the end of the year.</p>""",
        "days_ago": 484,
        "hour": 14,
        "featured": False,
        "allow_comments": False,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a deep red to salmon pink gradient",
            "caption": "Repeated flooding is leaving some families displaced for years.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [],
    },
    {
        "title": "Freight on the Middle Corridor doubles as shippers avoid Russia",
        "slug": "middle-corridor-freight-doubles",
        "category": "world",
        "author": "asel.nurlanova",
        "byline": "",
        "tags": ["Central Asia", "Trade", "Transport", "Kazakhstan"],
        "standfirst": (
            "The rail and ferry route across Kazakhstan, the Caspian and the South Caucasus is "
            "booming, but bottlenecks mean it still carries only a sliver of Asia-Europe trade."
        ),
        "body": """<p>The volume of freight moving along the trade route that crosses Central Asia, the Caspian Sea and the South Caucasus roughly doubled last year, according to figures from the railways and ports involved, as companies looked for ways to move goods between China and Europe without crossing Russia.</p>
<p>The route, formally the Trans-Caspian International Transport Route but usually called the Middle Corridor, runs by rail through Kazakhstan, by ferry across the Caspian to Azerbaijan, and then on through Georgia and Turkey.</p>
<h2>Bottlenecks remain</h2>
<p>Despite the growth, the corridor still carries only a small fraction of the cargo that travels between Asia and Europe by sea. Shippers complain of unpredictable journey times, caused by a shortage of ferries, limited port capacity and the number of borders and changes of transport along the way.</p>
<blockquote><p>"On a good week it works beautifully. On a bad week your container sits in a port waiting for a ship," said a logistics manager at a European freight forwarder.</p></blockquote>
<h2>Investment promised</h2>
<p>Governments along the route have pledged to expand port terminals, build more ferries and harmonise customs procedures. The European Union has named the corridor a priority under its Global Gateway investment programme.</p>
<p>Analysts said the route's long-term future would depend on whether the current surge in demand, driven largely by geopolitics, turns into lasting commercial confidence.</p>""",
        "days_ago": 652,
        "hour": 10,
        "featured": False,
        "allow_comments": True,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a deep red to salmon pink gradient",
            "caption": "The corridor runs by rail across Kazakhstan to the Caspian coast.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [
            {
                "name": "Tobias W.",
                "email": "tobias@example.com",
                "body": (
                    "We moved two shipments this way from a supplier near Xi'an to a "
                    "warehouse outside Zürich. One took 19 days, the other 41. That is the "
                    "whole story in two numbers."
                ),
                "approved": True,
            },
            {
                "name": "Nodira T.",
                "email": "nodira@example.com",
                "body": "Would love a follow-up on the port at Alat in Azerbaijan.",
                "approved": True,
            },
        ],
    },
    {
        "title": "Mekong countries agree rules on warning of dam water releases",
        "slug": "mekong-countries-dam-water-release-rules",
        "category": "world",
        "author": "rohan.mehta",
        "byline": "",
        "tags": ["Diplomacy", "Environment", "Energy"],
        "standfirst": (
            "Dam operators will have to give downstream communities two weeks' notice of "
            "planned releases, after sudden changes in river levels damaged crops and fisheries."
        ),
        "body": """<p>Governments along the Mekong River have agreed to give each other advance notice before hydropower dams release or hold back large volumes of water, after several seasons in which sudden changes in river levels damaged crops and fisheries downstream.</p>
<p>Under the arrangement, dam operators will share planned release schedules at least two weeks ahead and alert downstream authorities within hours of any unplanned change. The data will be published on a regional platform that farmers and fishing communities can consult.</p>
<h2>A river under pressure</h2>
<p>The Mekong supports tens of millions of people who depend on it for fish, rice and transport. Dozens of dams have been built on the river and its tributaries over the past two decades, bringing electricity to the region but altering the seasonal flood pulse that fertilises farmland and triggers fish migrations.</p>
<blockquote><p>"A fisherman cannot plan if the river rises a metre overnight in the dry season. Notice is the least we can ask for," said a representative of a fishing cooperative in the lower Mekong.</p></blockquote>
<h2>Limits of the deal</h2>
<p>The agreement is voluntary and contains no penalties for operators who fail to comply. Environmental researchers said it did nothing to address the sediment trapped behind dams, which is contributing to erosion in the Mekong Delta.</p>
<p>Officials described it as a first step, and said they hoped to negotiate binding rules on minimum river flows during the dry season.</p>""",
        "days_ago": 792,
        "hour": 7,
        "featured": False,
        "allow_comments": True,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a deep red to salmon pink gradient",
            "caption": "Tens of millions of people depend on the Mekong for food and transport.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [
            {
                "name": "Minh Anh",
                "email": "minhanh@example.com",
                "body": (
                    "Two weeks' notice is better than nothing. My family farms near Cần Thơ "
                    'and the river has not behaved "normally" for years.'
                ),
                "approved": True,
            },
        ],
    },
    {
        "title": "Parliament passes overhaul of election finance rules",
        "slug": "parliament-passes-election-finance-overhaul",
        "category": "politics",
        "author": "rohan.mehta",
        "byline": "",
        "tags": ["Elections", "Parliament", "Transparency"],
        "standfirst": (
            "Donations must be declared faster and foreign-funded companies face a ban, but "
            "campaigners say a late amendment leaves a sizeable loophole."
        ),
        "body": """<p>Parliament has approved the most significant changes to the rules on political donations in a generation, after a final vote that cut across party lines.</p>
<p>The bill lowers the threshold at which donations must be publicly declared, bans donations from companies that do not carry out substantial business in the country, and requires parties to publish their spending on online advertising within a month of each election.</p>
<h2>What changes</h2>
<ul>
<li>Donations above a lower threshold must be declared within 30 days, instead of every quarter</li>
<li>Companies must show they earn revenue in the country before giving money to a party</li>
<li>Online political adverts must carry a clear label showing who paid for them</li>
<li>The electoral commission gains the power to impose much larger fines</li>
</ul>
<h2>Criticism from both sides</h2>
<p>Campaigners for cleaner politics welcomed the bill but said it had been weakened on its way through parliament, pointing to an amendment that exempts donations made through local party associations.</p>
<blockquote><p>"This is a real improvement, but there is a loophole wide enough to drive a campaign bus through," said a spokesperson for a transparency group.</p></blockquote>
<p>Some opposition members argued that the new reporting rules would place a heavy burden on small parties run by volunteers. The government said it would publish guidance and a simplified reporting form for parties below a certain size.</p>
<p>The changes take effect in time for the next general election.</p>""",
        "days_ago": 1,
        "hour": 18,
        "featured": False,
        "allow_comments": True,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a dark green to mint green gradient",
            "caption": "The bill passed with support from members of several parties.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [
            {
                "name": "Helen P.",
                "email": "helen.p@example.com",
                "body": (
                    "The local association exemption is exactly where the money will go now. "
                    "Give it two years and we will be reading about it."
                ),
                "approved": True,
            },
            {
                "name": "Gareth",
                "email": "gareth@example.com",
                "body": (
                    "As the treasurer of a very small party, I am relieved about the "
                    "simplified form.\n\nThirty days is still tight for volunteers, though."
                ),
                "approved": True,
            },
            {
                "name": "anon",
                "email": "anon123@example.com",
                "body": "They are all as bad as each other and this changes nothing.",
                "approved": False,
            },
        ],
    },
    {
        "title": "Coalition talks stall over pension reform",
        "slug": "coalition-talks-stall-pension-reform",
        "category": "politics",
        "author": "rohan.mehta",
        "byline": "",
        "tags": ["Parliament", "Economy", "Labour"],
        "standfirst": (
            "The two governing parties failed to agree on whether to raise the state pension "
            "age or ask higher earners to pay more, putting the reform in doubt."
        ),
        "body": """<p>Talks between the two parties in the governing coalition broke up without agreement late on Thursday, leaving plans to raise the state pension age in doubt.</p>
<p>The larger party wants to increase the age gradually from 2030, arguing that longer lives and a shrinking workforce make the current system unaffordable. Its junior partner, which campaigned against any increase, has proposed instead to raise contributions from higher earners.</p>
<h2>Money and arithmetic</h2>
<p>The finance ministry estimates that spending on pensions will rise by more than a percentage point of national income over the next decade if nothing changes. Independent economists broadly agree on the size of the gap but differ on how quickly it needs to be closed.</p>
<blockquote><p>"Both options are defensible. What is not defensible is doing nothing for another five years," said an economist at a public policy institute.</p></blockquote>
<h2>What happens next</h2>
<p>Party leaders are due to meet again next week. If they fail to agree, the reform is likely to be dropped from the legislative programme for this session, which would be the third time in a decade that plans to change the pension age have been shelved.</p>
<p>Trade unions have called a demonstration in the capital for the weekend.</p>""",
        "days_ago": 92,
        "hour": 22,
        "featured": False,
        "allow_comments": True,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a dark green to mint green gradient",
            "caption": "Party leaders are due to meet again next week.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [
            {
                "name": "Margaret O.",
                "email": "margaret@example.com",
                "body": (
                    'I have worked on my feet for 38 years. "Longer lives" is an average; '
                    "it is not my life."
                ),
                "approved": True,
            },
        ],
    },
    {
        "title": "Turnout falls to record low in regional elections",
        "slug": "turnout-record-low-regional-elections",
        "category": "politics",
        "author": "rohan.mehta",
        "byline": "",
        "tags": ["Elections", "Parliament"],
        "standfirst": (
            "Fewer than four in ten registered voters took part, with the sharpest falls among "
            "younger people and in the cities."
        ),
        "body": """<p>Fewer than four in ten registered voters took part in Sunday's regional elections, the lowest turnout since the regional assemblies were created, according to provisional figures from the electoral commission.</p>
<p>Turnout fell in every region, but the sharpest declines were among younger voters and in cities, where some polling stations reported queues in the morning and almost empty halls by the afternoon.</p>
<h2>Why people stayed at home</h2>
<p>Political scientists pointed to several factors: poor weather in the north, a campaign dominated by national rather than local issues, and widespread confusion about what the regional assemblies are actually responsible for.</p>
<blockquote><p>"If you ask people what their regional assembly does, many cannot tell you. It is hard to vote for an institution you cannot picture," said a lecturer in politics at a regional university.</p></blockquote>
<h2>Calls for change</h2>
<p>Several parties called for regional elections to be held on the same day as national ones in future, which they argued would raise turnout. Others suggested allowing voting over two days or making postal votes easier to obtain.</p>
<p>The electoral commission said it would publish a full analysis of the results, including turnout by age group, within three months.</p>""",
        "days_ago": 372,
        "hour": 6,
        "featured": False,
        "allow_comments": False,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a dark green to mint green gradient",
            "caption": "Some polling stations were quiet for most of the afternoon.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [],
    },
    {
        "title": "Government publishes long-delayed housing strategy",
        "slug": "government-publishes-housing-strategy",
        "category": "politics",
        "author": "james.okafor",
        "byline": "",
        "tags": ["Housing", "Parliament", "Economy"],
        "standfirst": (
            "Ministers promise faster planning decisions and twice as many homes for social "
            "rent, but builders warn of a shortage of workers and money."
        ),
        "body": """<p>The government has published its long-awaited housing strategy, promising to speed up planning decisions and to double the number of homes built for social rent by the end of the decade.</p>
<p>The document, which was originally due more than a year ago, sets a target for new homes each year and proposes giving local councils stronger powers to buy land at prices closer to its value before planning permission is granted.</p>
<h2>Main proposals</h2>
<ul>
<li>A fast-track route for planning applications on previously developed land</li>
<li>Funding for councils to build homes directly for the first time in decades</li>
<li>Minimum energy-efficiency standards for all new homes from 2028</li>
<li>Longer notice periods for private tenants facing eviction</li>
</ul>
<h2>Mixed reaction</h2>
<p>Housebuilders welcomed the planning changes but warned that shortages of skilled workers and high borrowing costs would make the targets hard to reach. Tenants' groups said the measures for renters did not go far enough.</p>
<blockquote><p>"The ambition is right. The question is whether there is the money and the workforce to deliver it," said a spokesperson for a housing charity.</p></blockquote>
<p>Ministers said legislation to put the main measures into effect would be introduced in the next parliamentary session.</p>""",
        "days_ago": 540,
        "hour": 12,
        "featured": False,
        "allow_comments": True,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a dark green to mint green gradient",
            "caption": "The strategy sets an annual target for new homes.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [
            {
                "name": "Priya N.",
                "email": "priya@example.com",
                "body": (
                    "Renting in my city is now more than half my salary. Longer notice periods "
                    "are welcome, but they do not make anything cheaper."
                ),
                "approved": True,
            },
            {
                "name": "Tom H.",
                "email": "tom.h@example.com",
                "body": "Good to see the efficiency standards. Should have happened years ago.",
                "approved": True,
            },
        ],
    },
    {
        "title": "Ministers' meetings with lobbyists to be published every month",
        "slug": "ministers-lobbyist-meetings-published-monthly",
        "category": "politics",
        "author": "rohan.mehta",
        "byline": "",
        "tags": ["Parliament", "Transparency"],
        "standfirst": (
            "Quarterly releases were late and hard to search, the ethics committee said. "
            "Campaigners say meetings with senior officials should be covered too."
        ),
        "body": """<p>Ministers will have to publish details of their meetings with lobbyists every month rather than every quarter, under new rules announced by the cabinet office.</p>
<p>The change follows criticism from the parliamentary ethics committee, which said the existing quarterly releases were often late, incomplete and published in formats that made them difficult to search.</p>
<h2>What will be disclosed</h2>
<p>Each entry will list the date of the meeting, the organisations represented and a short description of its purpose. Informal meetings, including those at social events, will be covered if government business is discussed.</p>
<blockquote><p>"Transparency that arrives six months late is not really transparency," the committee said in its report.</p></blockquote>
<h2>Gaps remain</h2>
<p>Campaigners welcomed the move but noted that meetings between lobbyists and senior civil servants or ministerial advisers will still not be disclosed. They also called for a statutory register of lobbyists that includes those employed directly by companies, who are currently exempt.</p>
<p>The cabinet office said the first monthly release would appear at the start of the next quarter, and that it would review the arrangements after a year.</p>""",
        "days_ago": 736,
        "hour": 15,
        "featured": False,
        "allow_comments": True,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a dark green to mint green gradient",
            "caption": "The first monthly release is due at the start of the next quarter.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [
            {
                "name": "J. Alvarez",
                "email": "j.alvarez@example.com",
                "body": "Now do the advisers. That is where the real meetings happen.",
                "approved": True,
            },
        ],
    },
    {
        "title": "Budget preview: five things to watch",
        "slug": "budget-preview-five-things-to-watch",
        "category": "politics",
        "author": "james.okafor",
        "byline": "By our economics team",
        "tags": ["Economy", "Parliament", "Inflation"],
        "standfirst": (
            "The finance minister presents the budget on Wednesday. Borrowing, tax thresholds "
            "and public sector pay will decide whether it is remembered as a success."
        ),
        "body": """<p>The finance minister will present the annual budget to parliament on Wednesday, with the government under pressure to support growth while keeping borrowing under control. Here is what to look out for.</p>
<h2>What to watch</h2>
<ol>
<li><strong>Borrowing.</strong> The independent fiscal watchdog will publish its forecasts alongside the budget. A downgrade to growth would leave less room for spending.</li>
<li><strong>Income tax thresholds.</strong> Ministers have ruled out raising headline rates, but thresholds could stay frozen, pulling more people into higher bands as wages rise.</li>
<li><strong>Public investment.</strong> Capital spending on transport and energy networks is expected to be protected, although individual projects may be delayed.</li>
<li><strong>Energy bills.</strong> Support for households with high energy costs is due to expire, and consumer groups want it extended.</li>
<li><strong>Public sector pay.</strong> Unions want settlements that keep pace with inflation; the government has budgeted for less.</li>
</ol>
<h2>The political backdrop</h2>
<p>This is the first budget since the coalition's talks on pension reform collapsed, and it will be read closely for signs of how the two parties intend to work together for the rest of the parliament.</p>
<blockquote><p>"Budgets are usually about arithmetic. This one is also about whether the coalition can agree on a direction," said a former treasury official.</p></blockquote>""",
        "days_ago": -2,
        "hour": 7,
        "featured": False,
        "allow_comments": True,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a dark green to mint green gradient",
            "caption": "The budget will be published in full after the minister's speech.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [],
    },
    {
        "title": "Central bank holds rates as inflation eases",
        "slug": "central-bank-holds-rates-inflation-eases",
        "category": "business",
        "author": "james.okafor",
        "byline": "",
        "tags": ["Economy", "Inflation", "Housing"],
        "standfirst": (
            "Inflation is at a three-year low, but policymakers want more evidence before they "
            "cut. Two of the nine committee members voted for an immediate reduction."
        ),
        "body": """<p>The central bank left its main interest rate unchanged on Thursday, saying it wanted more evidence that inflation was falling for good before it began to cut borrowing costs.</p>
<p>Consumer price inflation fell to its lowest level in almost three years last month, helped by cheaper energy and a slowdown in food prices. But the bank's monetary policy committee said price rises in services, which are closely linked to wages, remained too high.</p>
<h2>A divided committee</h2>
<p>The decision was not unanimous. Two of the committee's nine members voted for an immediate cut of a quarter of a percentage point, arguing that high rates were weighing too heavily on investment and house-building.</p>
<blockquote><p>"We have made good progress, but the job is not done. Cutting too early would risk undoing the gains of the past two years," the bank's governor told a news conference.</p></blockquote>
<h2>What it means for households</h2>
<ul>
<li>Rates on new fixed-rate mortgages have already fallen, as markets expect cuts later in the year</li>
<li>Savings rates are likely to stay relatively high for now</li>
<li>Businesses with variable-rate loans will see no immediate relief</li>
</ul>
<p>Financial markets expect the first cut within the next two meetings. The bank's own forecasts, published alongside the decision, show inflation returning to its 2% target by the middle of next year.</p>""",
        "days_ago": 3,
        "hour": 12,
        "featured": True,
        "allow_comments": True,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a deep purple to lavender gradient",
            "caption": "The monetary policy committee voted seven to two to hold rates.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [
            {
                "name": "Sofia R.",
                "email": "sofia.r@example.com",
                "body": (
                    "I run a small café and our loan repayments have doubled in two years. "
                    '"No immediate relief" is putting it mildly.'
                ),
                "approved": True,
            },
            {
                "name": "Martin",
                "email": "martin@example.com",
                "body": "Sensible decision. Services inflation is the number that matters.",
                "approved": True,
            },
            {
                "name": "Oleksandr",
                "email": "oleksandr@example.com",
                "body": (
                    "Could you add a chart of the rate over the last ten years? Hard to judge "
                    "without context."
                ),
                "approved": False,
            },
        ],
    },
    {
        "title": "Tungsten prices hit decade high as supply fears grow",
        "slug": "tungsten-prices-decade-high",
        "category": "business",
        "author": "james.okafor",
        "byline": "",
        "tags": ["Trade", "Central Asia", "Kazakhstan", "Economy", "Tungsten"],
        "standfirst": (
            "Export restrictions by the dominant producer are pushing manufacturers to look "
            "elsewhere, but new mines take years to reach full production."
        ),
        "body": """<p>The price of tungsten has risen to its highest level in more than a decade, as export restrictions by China, by far the largest producer, push manufacturers to look for other sources.</p>
<p>Tungsten is one of the hardest and densest metals in industrial use. It is essential for cutting tools, drill bits, electronics and military equipment, and for most uses there is no practical substitute.</p>
<h2>The search for new supply</h2>
<p>Several projects outside China are being fast-tracked, including a large deposit in Kazakhstan whose backers are in talks with the United States about financing. Mines in Europe, South Korea and Australia are also expanding output or reopening.</p>
<blockquote><p>"Buyers who never thought about where their tungsten came from are now asking for supply outside China at almost any price," said a metals analyst at a commodities consultancy.</p></blockquote>
<h2>Years, not months</h2>
<p>New mines typically take several years to reach full production, and processing capacity outside China is limited. Analysts expect prices to remain high at least until the new projects begin shipping.</p>
<p>Machine-tool makers have warned customers of price increases, and some are stepping up the recycling of scrap tungsten carbide, which already supplies a significant share of demand.</p>""",
        "days_ago": 5,
        "hour": 10,
        "featured": False,
        "allow_comments": True,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a deep purple to lavender gradient",
            "caption": "Tungsten carbide is used in most industrial cutting tools.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [
            {
                "name": "Erik J.",
                "email": "erik@example.com",
                "body": (
                    "We make drilling equipment and have had three price rises from our "
                    "supplier since spring. Recycling is becoming a serious business."
                ),
                "approved": True,
            },
        ],
    },
    {
        "title": "Shipping costs climb as vessels avoid the Red Sea",
        "slug": "shipping-costs-climb-red-sea-diversions",
        "category": "business",
        "author": "james.okafor",
        "byline": "",
        "tags": ["Trade", "Transport", "Middle East"],
        "standfirst": (
            "Sailing around Africa adds up to two weeks to a voyage from Asia to Europe. "
            "Retailers warn that bulky goods will be the first to cost more."
        ),
        "body": """<p>The cost of shipping a container from Asia to northern Europe has risen sharply again, as most large container lines continue to send their vessels around the southern tip of Africa rather than through the Red Sea and the Suez Canal.</p>
<p>The longer journey adds roughly 10 to 14 days to a typical voyage and requires more ships to keep the same weekly service, tying up capacity that would otherwise hold freight rates down.</p>
<h2>Who pays</h2>
<p>Retailers say they have absorbed much of the increase so far, but warn that higher transport costs will eventually feed through to prices, particularly for bulky, low-value goods such as furniture and household items.</p>
<blockquote><p>"Shipping is a small part of the price of a phone and a large part of the price of a sofa," said an economist at a trade research group.</p></blockquote>
<h2>Ports feel the strain</h2>
<p>Irregular arrivals have caused congestion at some European and Mediterranean ports, where several large vessels now arrive at once after delays. Port operators have extended working hours to clear the backlog.</p>
<p>Suez Canal revenues have fallen steeply as a result of the diversions. Shipping executives say they will not return to the route until they are confident that vessels and crews are safe.</p>""",
        "days_ago": 232,
        "hour": 9,
        "featured": False,
        "allow_comments": True,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a deep purple to lavender gradient",
            "caption": "Longer voyages tie up ships that would otherwise hold rates down.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [
            {
                "name": "Ana Gonçalves",
                "email": "ana.goncalves@example.com",
                "body": (
                    "We import furniture through Rotterdam for shops in Lisbon and Porto. "
                    "The sofa quote is painfully accurate."
                ),
                "approved": True,
            },
            {
                "name": "Dev",
                "email": "dev@example.com",
                "body": "How much of this is capacity and how much is the carriers taking margin?",
                "approved": True,
            },
        ],
    },
    {
        "title": "Small bakeries squeezed as energy contracts expire",
        "slug": "bakeries-squeezed-energy-contracts-expire",
        "category": "business",
        "author": "james.okafor",
        "byline": "",
        "tags": ["Energy", "Inflation", "Economy"],
        "standfirst": (
            "Bakers are being offered new contracts at two to three times their old rates, and "
            "some say they will not survive the winter without help."
        ),
        "body": """<p>Independent bakeries are warning that many could close this winter as fixed-price energy contracts signed before the rise in wholesale prices come to an end.</p>
<p>Baking is one of the most energy-hungry trades on a typical high street. Ovens run for hours before dawn, and many small bakeries also rely on refrigerators and proving cabinets that consume power around the clock.</p>
<h2>Bills tripled</h2>
<p>Members of a national bakers' association report being offered new contracts at two to three times their previous rates. Some have already cut opening hours, reduced their ranges or stopped baking on the premises altogether.</p>
<blockquote><p>"You cannot charge three times as much for a loaf of bread. People simply will not pay it," said the owner of a family bakery that has traded in the same town for four generations.</p></blockquote>
<h2>Calls for support</h2>
<p>Business groups have asked the government to extend targeted help to energy-intensive small firms and to require suppliers to offer payment plans. The energy ministry said it was reviewing the support available to businesses and would set out its plans before the end of the year.</p>
<p>Some bakers are investing in more efficient electric ovens and heat-recovery systems, but say the upfront cost is out of reach for many.</p>""",
        "days_ago": 428,
        "hour": 7,
        "featured": False,
        "allow_comments": True,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a deep purple to lavender gradient",
            "caption": "Ovens in small bakeries often run for hours before dawn.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [
            {
                "name": "Brigitte",
                "email": "brigitte@example.com",
                "body": (
                    "Our boulangerie on the corner closed in March after 31 years. This story "
                    "is happening everywhere."
                ),
                "approved": True,
            },
        ],
    },
    {
        "title": "Four-day week trial: most firms stay, some go back",
        "slug": "four-day-week-trial-mixed-results",
        "category": "business",
        "author": "james.okafor",
        "byline": "",
        "tags": ["Labour", "Economy"],
        "standfirst": (
            "Two-thirds of organisations in a year-long pilot will keep a shorter week, but "
            "shift-based businesses found it hard to make work."
        ),
        "body": """<p>Most companies that took part in a year-long trial of a four-day working week plan to keep it, but a significant minority have returned to a traditional schedule, according to a report by the researchers who ran the pilot.</p>
<p>Around 60 organisations, ranging from software firms to a care home and a brewery, agreed to cut working hours by a fifth without reducing pay, on condition that output was maintained.</p>
<h2>The findings</h2>
<ul>
<li>About two-thirds of participating organisations say they will continue with a shorter week</li>
<li>Staff reported lower levels of stress and took fewer sick days</li>
<li>Several firms in manufacturing and customer service found it hard to maintain cover</li>
<li>Revenue was broadly stable across the group, although results varied widely</li>
</ul>
<h2>Not for everyone</h2>
<p>Firms that dropped out tended to be those where work depends on fixed shifts or on being available to customers at set hours.</p>
<blockquote><p>"It worked brilliantly for our office team and not at all for our warehouse. In the end we could not justify two different systems," said the managing director of a distribution company that left the trial.</p></blockquote>
<p>Employers' organisations cautioned against drawing broad conclusions from a small, self-selected group, noting that the firms which volunteered were likely to be those most confident of success.</p>""",
        "days_ago": 596,
        "hour": 8,
        "featured": False,
        "allow_comments": True,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a deep purple to lavender gradient",
            "caption": "Staff in the trial worked four days a week on full pay.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [
            {
                "name": "Ingrid",
                "email": "ingrid@example.com",
                "body": (
                    "Our firm was in the trial. The first two months were chaos, then it "
                    "settled down.\n\nNobody wants to go back now."
                ),
                "approved": True,
            },
            {
                "name": "Carl B.",
                "email": "carl.b@example.com",
                "body": "Self-selected sample, as the last paragraph says. Interesting, not proof.",
                "approved": True,
            },
        ],
    },
    {
        "title": "How satellites will connect ordinary phones in remote areas",
        "slug": "satellites-connect-ordinary-phones-remote-areas",
        "category": "technology",
        "author": "marta.lindqvist",
        "byline": "",
        "tags": ["Space", "Central Asia", "Kazakhstan"],
        "standfirst": (
            "Direct-to-phone satellite services need no dish and no special handset. We explain "
            "what they can do, and what they cannot."
        ),
        "body": """<p>Plans to bring Starlink satellite services to mobile customers in Central Asia have drawn attention to a technology that promises to end the mobile black spot: connecting ordinary smartphones directly to satellites, without a dish or a special handset.</p>
<h2>How it works</h2>
<p>Conventional satellite phones need bulky antennas and dedicated handsets. Direct-to-cell systems instead use satellites in low orbit fitted with very large antennas, which act as mobile masts in space. A standard phone sees the satellite as just another tower belonging to its usual network.</p>
<p>Because the satellites orbit a few hundred kilometres up, rather than tens of thousands, the delay is short enough for messaging and, increasingly, voice calls and basic data.</p>
<h2>The limitations</h2>
<ul>
<li>Capacity is limited, so early services concentrate on text messages and low-bandwidth apps</li>
<li>Coverage works best outdoors, with a clear view of the sky</li>
<li>Operators must obtain spectrum licences in each country they serve</li>
</ul>
<blockquote><p>"This will not replace your home broadband. What it does is make sure a shepherd on the steppe or a driver on a mountain road can send a message when something goes wrong," said a telecoms engineer at a university in Almaty.</p></blockquote>
<p>For vast, sparsely populated countries such as Kazakhstan, where building masts along thousands of kilometres of road is expensive, regulators see the technology as a complement to existing networks rather than a rival.</p>""",
        "days_ago": 6,
        "hour": 13,
        "featured": False,
        "allow_comments": True,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a dark ochre to sand gradient",
            "caption": "Early services will focus on text messages.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [
            {
                "name": "Yerlan",
                "email": "yerlan@example.com",
                "body": (
                    "My parents live 200 km from the nearest town. If this works even for SMS "
                    "it will change a lot for them."
                ),
                "approved": True,
            },
            {
                "name": "Astronomy fan",
                "email": "stargazer@example.com",
                "body": (
                    "Nobody ever mentions what thousands more satellites do to the night sky."
                ),
                "approved": True,
            },
        ],
    },
    {
        "title": "The quiet race to build a national AI model",
        "slug": "quiet-race-national-ai-model",
        "category": "technology",
        "author": "marta.lindqvist",
        "byline": "",
        "tags": ["Artificial Intelligence", "Research"],
        "standfirst": (
            "Governments from the Gulf to Scandinavia are paying for their own language models. "
            "Critics say adapting open models would be cheaper."
        ),
        "body": """<p>Governments from the Gulf to Scandinavia are funding their own large language models, arguing that relying on a handful of American and Chinese companies poses risks to language, culture and national security.</p>
<h2>Why build your own</h2>
<p>Supporters say national models can be trained on local languages that are poorly served by commercial systems, and can be used in public services without sending sensitive data abroad.</p>
<p>Critics point out that training a competitive model costs hundreds of millions of dollars and requires computing power that few countries have, and argue that adapting existing open models would be far cheaper.</p>
<blockquote><p>"The question is not whether you can build one. It is whether you can keep it up to date when the frontier moves every six months," said a researcher at a European computing centre.</p></blockquote>
<h2>A middle path</h2>
<p>Several countries have chosen to pool resources through regional consortia, or to negotiate access to supercomputers run by research institutes rather than building their own.</p>
<p>[Editor's note: figures on national computing budgets still to be checked before publication.]</p>""",
        "days_ago": 4,
        "hour": 16,
        "featured": False,
        "allow_comments": True,
        "status": "draft",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a dark ochre to sand gradient",
            "caption": "Training a competitive model requires enormous computing power.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [],
    },
    {
        "title": "Hospitals return to paper after ransomware hits records supplier",
        "slug": "hospitals-paper-records-ransomware-attack",
        "category": "technology",
        "author": "marta.lindqvist",
        "byline": "",
        "tags": ["Cybersecurity", "Health"],
        "standfirst": (
            "Emergency departments remain open, but test results are delayed and outpatients "
            "are being asked to bring lists of their medicines."
        ),
        "body": """<p>Several hospitals have gone back to paper records and postponed non-urgent appointments after a ransomware attack on a company that supplies patient-record software.</p>
<p>The supplier said it detected the intrusion early on Sunday and took its systems offline to contain it. Hospitals that rely on its software lost access to electronic test results, prescribing systems and appointment schedules.</p>
<h2>Patient care affected</h2>
<p>Health officials said emergency departments remained open and that urgent operations were going ahead. However, some blood tests were taking hours longer than usual to process.</p>
<blockquote><p>"Our staff are extraordinarily good at working around problems, but paper is slower and it is harder to be sure you have the full picture of a patient," said a senior doctor at one of the hospitals affected.</p></blockquote>
<h2>Advice for patients</h2>
<ul>
<li>Attend appointments as planned unless you are contacted</li>
<li>Bring a list of the medicines you currently take</li>
<li>Emergency services are operating normally</li>
</ul>
<h2>Questions about suppliers</h2>
<p>The attack has renewed concern about the health sector's dependence on a small number of software companies, any one of which can become a single point of failure. The national cyber security agency said it was supporting the company and the hospitals involved.</p>
<p>The supplier said it had so far found no evidence that patient data had been published, but that its investigation was continuing.</p>""",
        "days_ago": 260,
        "hour": 17,
        "featured": False,
        "allow_comments": True,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a dark ochre to sand gradient",
            "caption": "Staff switched to paper records while systems were offline.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [
            {
                "name": "Nurse on nights",
                "email": "nightshift@example.com",
                "body": (
                    "Worked through this. Paper drug charts at 3am, nobody sure which results "
                    "were the latest. The staff deserve more credit than they will get."
                ),
                "approved": True,
            },
            {
                "name": "R. Okonkwo",
                "email": "r.okonkwo@example.com",
                "body": "Why is one supplier allowed to run so many hospitals' records?",
                "approved": False,
            },
        ],
    },
    {
        "title": "Schools ask for national rules on AI homework helpers",
        "slug": "schools-rules-ai-homework-helpers",
        "category": "technology",
        "author": "marta.lindqvist",
        "byline": "",
        "tags": ["Artificial Intelligence", "Education"],
        "standfirst": (
            "Most teachers have seen work they believe was written by a chatbot, but fewer "
            "than a third say their school has a clear policy."
        ),
        "body": """<p>Head teachers are calling for national guidance on the use of artificial intelligence in homework and coursework, saying schools have been left to set their own rules with little support.</p>
<p>A survey of secondary school teachers by a professional association found that a majority had come across work they believed had been produced mostly by an AI chatbot, but fewer than a third said their school had a clear policy on what was allowed.</p>
<h2>Ban or teach?</h2>
<p>Approaches vary widely. Some schools have moved more assessed work into the classroom, where it can be supervised. Others are teaching pupils how to use AI tools responsibly, for example to generate practice questions or to get feedback on a draft.</p>
<blockquote><p>"Pretending the tools do not exist is not an option. Our pupils will use them at university and at work, so we need to teach them to use them well," said the head of a secondary school.</p></blockquote>
<h2>Detection is unreliable</h2>
<p>Teachers warned that software claiming to detect AI-generated text is unreliable and has wrongly flagged work written by pupils, particularly those writing in a second language.</p>
<p>The education ministry said it would publish guidance for schools before the start of the next academic year, and that exam boards were reviewing their rules on coursework.</p>""",
        "days_ago": 344,
        "hour": 7,
        "featured": False,
        "allow_comments": True,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a dark ochre to sand gradient",
            "caption": "Some schools have moved assessed work back into the classroom.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [
            {
                "name": "Mr Test",
                "email": "tester@example.com",
                "body": "I <b>love</b> this & <script>alert(1)</script> \"quotes\" 'too' <i>ok</i>",
                "approved": True,
            },
            {
                "name": "Chloé",
                "email": "chloe@example.com",
                "body": (
                    "As a teacher of French to pupils whose first language is not English, the "
                    "point about detection software is so important. Two of my pupils were "
                    "accused wrongly last term."
                ),
                "approved": True,
            },
        ],
    },
    {
        "title": "Ride-hailing company fined over exposed trip data",
        "slug": "ride-hailing-company-fined-data-breach",
        "category": "technology",
        "author": "rohan.mehta",
        "byline": "",
        "tags": ["Cybersecurity", "Transport"],
        "standfirst": (
            "A database of names, phone numbers and journey histories was left open to the "
            "internet for weeks, the data protection regulator found."
        ),
        "body": """<p>The data protection regulator has fined a ride-hailing company for failing to protect the personal information of drivers and passengers, after a breach that exposed names, phone numbers and trip histories.</p>
<p>The regulator found that the company had stored the data in a cloud database that could be reached without a password for several weeks. It said the firm had not carried out basic security checks and had been slow to tell the people affected.</p>
<h2>Trip histories exposed</h2>
<p>The regulator said the exposure of journey records was particularly serious, because repeated trips between the same addresses could reveal where people live and work.</p>
<blockquote><p>"Location data tells the story of someone's life. Companies that collect it at scale have a duty to treat it with great care," the regulator said in its decision.</p></blockquote>
<h2>Company response</h2>
<p>The company said it had fixed the problem as soon as it was reported, had found no evidence that the data had been misused, and had since overhauled its security procedures. It has 28 days to decide whether to appeal.</p>
<p>Privacy groups said the case showed the need for safer default settings in cloud services, where misconfigured storage is one of the most common causes of data leaks.</p>""",
        "days_ago": 512,
        "hour": 11,
        "featured": False,
        "allow_comments": True,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a dark ochre to sand gradient",
            "caption": "Journey records can reveal where people live and work.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [
            {
                "name": "Jonas",
                "email": "jonas@example.com",
                "body": "An open database in this day and age. Deleted the app.",
                "approved": True,
            },
        ],
    },
    {
        "title": "Chipmakers bet on older technology as car demand recovers",
        "slug": "chipmakers-bet-on-older-technology",
        "category": "technology",
        "author": "james.okafor",
        "byline": "",
        "tags": ["Trade", "Economy", "Artificial Intelligence"],
        "standfirst": (
            "Advanced AI processors get the headlines, but billions are also going into "
            "factories for the simple chips that cars and washing machines depend on."
        ),
        "body": """<p>While attention in the chip industry focuses on the advanced processors used to train artificial intelligence systems, some manufacturers are quietly investing billions in factories that make older, simpler chips.</p>
<p>These so-called mature-node chips, made with technology that is a decade or more old, are found in cars, washing machines, industrial equipment and medical devices. Shortages of them halted car production lines around the world in 2021 and 2022.</p>
<h2>Why older chips matter</h2>
<ul>
<li>A modern car can contain well over a thousand chips, most of them mature-node designs</li>
<li>They are cheap to make but produced in a small number of places</li>
<li>Many products are certified to use specific chips and cannot easily switch</li>
</ul>
<blockquote><p>"Nobody writes headlines about a power-management chip, but if you do not have one, the car does not leave the factory," said an analyst at a semiconductor research firm.</p></blockquote>
<h2>Governments step in</h2>
<p>Several governments have included mature-node capacity in their subsidy programmes, concerned that a growing share of global production is concentrated in a single region. Industry groups warn that a rush of new factories could lead to oversupply and falling prices within a few years.</p>""",
        "days_ago": 680,
        "hour": 14,
        "featured": False,
        "allow_comments": True,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a dark ochre to sand gradient",
            "caption": "Mature-node chips are made with technology a decade or more old.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [],
    },
    {
        "title": "Tien Shan glaciers shrinking faster than expected, study finds",
        "slug": "tien-shan-glaciers-shrinking-faster",
        "category": "science",
        "author": "marta.lindqvist",
        "byline": "By our science editor",
        "tags": ["Central Asia", "Climate", "Research"],
        "standfirst": (
            "The mountains supply summer water to farms across Central Asia. Once the glaciers "
            "pass a tipping point, researchers warn, that water will not be there."
        ),
        "body": """<p>Glaciers in the Tien Shan mountains, which supply water to millions of people across Central Asia, are losing ice faster than previous estimates suggested, according to a study combining satellite measurements with decades of observations on the ground.</p>
<p>The researchers found that the rate of ice loss has increased markedly since the turn of the century, with smaller, lower-lying glaciers shrinking most quickly. Some have already broken up into separate fragments or disappeared entirely.</p>
<h2>Water for the lowlands</h2>
<p>Meltwater from the Tien Shan feeds rivers that irrigate farmland in Kazakhstan, Kyrgyzstan, Uzbekistan and western China. In late summer, when rainfall is scarce, glacier melt can make up a large share of river flow.</p>
<blockquote><p>"In the short term, faster melting can actually increase river flow, which hides the problem. Once the glaciers pass a certain point, the summer water simply will not be there," one of the study's authors said.</p></blockquote>
<h2>Key findings</h2>
<ul>
<li>Glaciers below 4,000 metres showed the fastest retreat</li>
<li>North-facing glaciers fared better than those exposed to the sun</li>
<li>Dust and soot settling on the ice sped up melting in some areas</li>
</ul>
<h2>Planning for less water</h2>
<p>The authors urged governments in the region to invest in more efficient irrigation. Much of it still relies on open canals built in the Soviet era, which lose large amounts of water to evaporation and seepage.</p>
<p>The study, published in a peer-reviewed journal, drew on data collected by research stations in Kazakhstan and Kyrgyzstan.</p>""",
        "days_ago": 64,
        "hour": 15,
        "featured": False,
        "allow_comments": True,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a charcoal to light grey gradient",
            "caption": "Smaller, lower glaciers are retreating fastest.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [
            {
                "name": "Bakyt",
                "email": "bakyt@example.com",
                "body": (
                    "Every summer we hike to the Tuyuksu glacier above Almaty, and every year "
                    "the walk is longer. Sad to see it confirmed."
                ),
                "approved": True,
            },
        ],
    },
    {
        "title": "Astronomers find hints of water vapour on a distant rocky planet",
        "slug": "astronomers-water-vapour-rocky-planet",
        "category": "science",
        "author": "marta.lindqvist",
        "byline": "",
        "tags": ["Space", "Research"],
        "standfirst": (
            "If confirmed, the signal would be one of the most detailed looks yet at the "
            "atmosphere of an Earth-sized world. The team is urging caution."
        ),
        "body": """<p>Astronomers say they have found tentative evidence of water vapour in the atmosphere of a rocky planet orbiting a small star about 40 light years from Earth. If confirmed, it would be among the most detailed observations yet of a world similar in size to our own.</p>
<p>The team used a space telescope to watch the planet as it passed in front of its star. During each transit, a tiny fraction of the starlight filters through the planet's atmosphere, and the wavelengths that are absorbed reveal which molecules are present.</p>
<h2>Caution urged</h2>
<p>The researchers stressed that the signal could also come from cool spots on the surface of the star itself, which can mimic the signature of water. More observations are planned to tell the two explanations apart.</p>
<blockquote><p>"We are being careful not to overclaim. This is an exciting hint, not the discovery of a habitable world," said a member of the research team.</p></blockquote>
<h2>Not a second Earth</h2>
<p>Even if its atmosphere does contain water vapour, the planet is unlikely to be hospitable. It orbits so close to its star that its year lasts only a few days, and its surface is thought to be far hotter than anywhere on Earth.</p>
<p>Nonetheless, astronomers say the ability to detect atmospheres around small rocky planets is an important step towards the longer-term goal of searching for signs of life beyond the solar system.</p>""",
        "days_ago": 120,
        "hour": 19,
        "featured": True,
        "allow_comments": True,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a charcoal to light grey gradient",
            "caption": "The planet completes an orbit of its star in a few days.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [
            {
                "name": "Ahmed F.",
                "email": "ahmed.f@example.com",
                "body": 'Refreshing to read a space story that does not say "second Earth".',
                "approved": True,
            },
            {
                "name": "Kaito",
                "email": "kaito@example.com",
                "body": (
                    "How many transits did they observe? The starspot explanation seems hard "
                    "to rule out with only a few."
                ),
                "approved": True,
            },
            {
                "name": "Nora",
                "email": "nora@example.com",
                "body": "Beautiful illustration. Is a print available? 🌌",
                "approved": True,
            },
        ],
    },
    {
        "title": "Soil bacterium yields promising antibiotic against resistant infections",
        "slug": "soil-bacterium-antibiotic-candidate",
        "category": "science",
        "author": "marta.lindqvist",
        "byline": "",
        "tags": ["Health", "Research"],
        "standfirst": (
            "The compound killed several drug-resistant strains in laboratory tests. It attacks "
            "a target that bacteria may find hard to evolve around."
        ),
        "body": """<p>Scientists have identified a new antibiotic compound produced by a bacterium found in soil, which in laboratory tests killed several strains of bacteria resistant to existing drugs.</p>
<p>The compound was discovered by growing soil microbes in a device that mimics their natural environment, allowing researchers to study species that cannot be grown by conventional methods. Most antibiotics in use today were found in soil organisms, but the species that are easy to grow were exhausted decades ago.</p>
<h2>A different target</h2>
<p>Unlike most existing antibiotics, the compound appears to attack a part of the bacterial cell wall that does not readily mutate, which researchers say may make it harder for resistance to develop.</p>
<blockquote><p>"Finding something that works in a dish is the beginning of a very long road. But new classes of antibiotics are so rare that every candidate deserves a serious look," said a microbiologist who was not involved in the study.</p></blockquote>
<h2>Years from the clinic</h2>
<p>The compound has so far been tested only in cell cultures and in mice. It would need to pass safety trials in people before it could be used to treat patients, a process that typically takes the better part of a decade.</p>
<p>Drug-resistant infections are already linked to more than a million deaths a year worldwide, according to international estimates, and health agencies have warned that few new antibiotics are in development because they offer drug companies little commercial return.</p>""",
        "days_ago": 400,
        "hour": 10,
        "featured": False,
        "allow_comments": True,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a charcoal to light grey gradient",
            "caption": "The compound has so far been tested in cell cultures and mice.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [
            {
                "name": "Dr. Beatriz M.",
                "email": "beatriz@example.com",
                "body": (
                    "Good, measured coverage. The economics point at the end is the part "
                    "most people miss."
                ),
                "approved": True,
            },
        ],
    },
    {
        "title": "Wildflower strips help bees rebound on farms, trial finds",
        "slug": "wildflower-strips-bees-rebound-farms",
        "category": "science",
        "author": "marta.lindqvist",
        "byline": "",
        "tags": ["Environment", "Research"],
        "standfirst": (
            "Five years of flower-rich field margins brought more wild bees and slightly better "
            "yields of insect-pollinated crops."
        ),
        "body": """<p>Strips of wildflowers planted along the edges of arable fields led to a marked increase in wild bee numbers over five years, according to the results of a large farm trial.</p>
<p>The study compared farms that sowed flower-rich margins with similar farms that did not. By the end of the trial, researchers counted substantially more bumblebees and solitary bees on the farms with margins, and found a greater variety of species.</p>
<h2>Crops benefit too</h2>
<p>Fields next to the flower strips also showed slightly higher yields of insect-pollinated crops such as oilseed rape and field beans, which the researchers attributed to better pollination.</p>
<blockquote><p>"Farmers often see margins as land taken out of production. What this shows is that a small area given over to flowers can pay something back," said a researcher involved in the trial.</p></blockquote>
<h2>Getting the details right</h2>
<p>The benefits depended on how the margins were managed. Strips that were cut at the wrong time of year, or sown with a narrow mix of species, attracted far fewer insects.</p>
<ul>
<li>Mixes with a range of flowering times gave the best results</li>
<li>Margins needed to be at least several metres wide</li>
<li>Linking margins to hedgerows helped bees move across the landscape</li>
</ul>
<p>Farming groups said the findings supported continued funding for schemes that pay farmers to manage land for wildlife.</p>""",
        "days_ago": 568,
        "hour": 9,
        "featured": False,
        "allow_comments": True,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a charcoal to light grey gradient",
            "caption": "Flower mixes with varied flowering times worked best.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [
            {
                "name": "Farmer Joe",
                "email": "joe@example.com",
                "body": (
                    "We have had margins for six years. The beans are better, the hares are "
                    "back, and the paperwork is still a nightmare."
                ),
                "approved": True,
            },
        ],
    },
    {
        "title": "Late-night screen use linked to poorer memory in teenagers",
        "slug": "late-night-screens-teenagers-memory",
        "category": "science",
        "author": "marta.lindqvist",
        "byline": "",
        "tags": ["Health", "Education", "Research"],
        "standfirst": (
            "A study of more than 2,000 pupils suggests lost sleep, rather than screens "
            "themselves, explains most of the effect."
        ),
        "body": """<p>Teenagers who use phones or tablets in bed late at night perform worse on memory tests the next day, according to a study that tracked the sleep and screen habits of more than 2,000 secondary school pupils.</p>
<p>Participants wore activity trackers to record their sleep and completed short memory and attention tests on school mornings. Those who used screens after 11pm slept on average around 40 minutes less than their classmates and scored lower on the tests.</p>
<h2>Sleep, not screens?</h2>
<p>The researchers said the effect appeared to be explained largely by reduced sleep rather than by anything specific to screens. Pupils who went to bed late for other reasons showed similar results.</p>
<blockquote><p>"The message for parents is less about banning devices and more about protecting sleep. The phone is often simply what keeps teenagers awake," the lead researcher said.</p></blockquote>
<h2>Limits of the study</h2>
<p>Because the study was observational, it cannot prove that late-night screen use causes poorer memory. Teenagers who sleep badly for other reasons, such as anxiety, may also be more likely to reach for their phones.</p>
<p>Several schools involved in the study have since introduced lessons about sleep, and some encourage pupils to leave their phones outside the bedroom at night.</p>""",
        "days_ago": 708,
        "hour": 6,
        "featured": False,
        "allow_comments": True,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a charcoal to light grey gradient",
            "caption": "Pupils who used screens after 11pm slept about 40 minutes less.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [
            {
                "name": "Parent of three",
                "email": "parent3@example.com",
                "body": (
                    "We started a phone basket in the kitchen at 10pm.\n\nThe first week was "
                    "war. Now they admit they sleep better."
                ),
                "approved": True,
            },
            {
                "name": "Lukas",
                "email": "lukas@example.com",
                "body": "Observational study, so correlation only. Good that you said so.",
                "approved": True,
            },
        ],
    },
    {
        "title": "Almaty film festival draws record audiences",
        "slug": "almaty-film-festival-record-audiences",
        "category": "culture",
        "author": "asel.nurlanova",
        "byline": "",
        "tags": ["Film", "Central Asia", "Kazakhstan"],
        "standfirst": (
            "A strand of films in Central Asian languages and a younger audience helped the "
            "festival sell more tickets than ever before."
        ),
        "body": """<p>An international film festival in Almaty closed on Sunday after selling more tickets than in any previous year, with organisers crediting a strong programme of Central Asian cinema and a growing audience of younger viewers.</p>
<p>More than 100 films were shown over ten days in cinemas across the city and at open-air screenings in its parks. For the first time, the festival included a strand of films in the Kazakh, Kyrgyz, Uzbek and Tajik languages, subtitled in English and Russian.</p>
<h2>A regional cinema finds its voice</h2>
<p>Film-makers from the region have attracted growing attention at international festivals in recent years. Lower production costs and online distribution have made it possible for young directors to make feature films on modest budgets.</p>
<blockquote><p>"Ten years ago, if you wanted to make films you left for Moscow or for Europe. Now people stay and tell their own stories," said one of the festival's programmers.</p></blockquote>
<h2>The winners</h2>
<p>The main prize went to a drama about three generations of a family in a remote village on the steppe, which the jury praised for its restraint and its striking landscapes. The audience award went to a comedy about a wedding that goes wrong in a suburb of Tashkent.</p>
<p>Organisers said they hoped to turn the festival's industry programme, which introduces local producers to international distributors, into a permanent, year-round initiative.</p>""",
        "days_ago": 2,
        "hour": 20,
        "featured": False,
        "allow_comments": True,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a dark teal to pale blue gradient",
            "caption": "Open-air screenings in the city's parks drew large crowds.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [
            {
                "name": "Гүлнар",
                "email": "gulnar@example.com",
                "body": (
                    "Керемет! Қазақ тіліндегі фильмдер көбейе берсін.\n\n(Wonderful! May "
                    "there be many more films in Kazakh.)"
                ),
                "approved": True,
            },
            {
                "name": "Marco",
                "email": "marco@example.com",
                "body": "Does anyone know if the winning film will get a European release?",
                "approved": True,
            },
        ],
    },
    {
        "title": "National library reopens after five-year restoration",
        "slug": "national-library-reopens-after-restoration",
        "category": "culture",
        "author": "claire.dubois",
        "byline": "",
        "tags": ["Books", "Heritage"],
        "standfirst": (
            "Visitors queued from early morning to see the domed reading room, whose painted "
            "ceiling had been hidden behind netting for more than a decade."
        ),
        "body": """<p>The national library reopened to the public on Saturday after a five-year restoration that repaired its 19th-century reading room, modernised its stores and added a new public hall for exhibitions and events.</p>
<p>Hundreds of visitors queued from early morning to see the domed reading room, whose painted ceiling had been hidden behind protective netting for more than a decade after pieces of plaster began to fall.</p>
<h2>Hidden work</h2>
<p>Much of the work is invisible. Engineers installed climate control in the underground stores to protect manuscripts and early printed books, and replaced electrical systems dating from the 1960s. Conservators cleaned and repaired more than 20,000 volumes during the closure.</p>
<blockquote><p>"A library is a promise that things will be kept. This building has kept that promise for 150 years, and now it can keep it for another 150," the library's director said at the reopening.</p></blockquote>
<h2>Late and over budget, but open</h2>
<p>The project ran two years late and well over its original budget, partly because of structural problems discovered in the roof and partly because of rising construction costs. The culture ministry said the extra cost had been met from its capital budget without cutting funding for regional libraries.</p>
<p>Entry to the reading room is free, but visitors are asked to book a timed slot during the first month.</p>""",
        "days_ago": 36,
        "hour": 10,
        "featured": False,
        "allow_comments": True,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a dark teal to pale blue gradient",
            "caption": "The reading room's ceiling was hidden behind netting for a decade.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [
            {
                "name": "Elif",
                "email": "elif@example.com",
                "body": (
                    "I wrote my thesis in that reading room. Went on Saturday and cried a "
                    "little. Book a slot, it is worth it."
                ),
                "approved": True,
            },
            {
                "name": "Old Reader",
                "email": "oldreader@example.com",
                "body": "Two years late and how many millions over? Someone should answer for it.",
                "approved": True,
            },
        ],
    },
    {
        "title": "Debut novel set in a Caspian fishing town wins first-fiction prize",
        "slug": "debut-novel-caspian-fishing-town-prize",
        "category": "culture",
        "author": "asel.nurlanova",
        "byline": "",
        "tags": ["Books", "Central Asia"],
        "standfirst": (
            "Translated from Kazakh, the book is the first from the language to win the award. "
            'Judges called it "quietly devastating".'
        ),
        "body": """<p>A debut novel about a family in a fishing town on the Caspian coast has won a prize for first fiction, with the judges describing it as "quietly devastating".</p>
<p>The book follows a woman who returns to the town where she grew up to care for her father, a retired fisherman, and finds that the sea has retreated so far that the harbour she remembers is now dry land. Told over a single summer, it moves between the present and her childhood in the 1990s.</p>
<h2>Translated from Kazakh</h2>
<p>The novel was written in Kazakh and published in English translation last year. It is the first book translated from Kazakh to win the prize, and publishers have hailed its success as a sign of growing interest in writing from Central Asia.</p>
<blockquote><p>"It is a book about a family, and about a landscape that is disappearing, and it never lets one become a metaphor for the other," the chair of the judging panel said.</p></blockquote>
<h2>A boost for translators</h2>
<p>The prize money is shared equally between author and translator, a rule introduced several years ago to recognise the part translators play in bringing books to new readers.</p>
<p>The publisher said it had ordered a reprint, and that rights had been sold in several other languages since the shortlist was announced.</p>""",
        "days_ago": 288,
        "hour": 21,
        "featured": False,
        "allow_comments": True,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a dark teal to pale blue gradient",
            "caption": "The prize money is shared between author and translator.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [
            {
                "name": "Reading group, Hove",
                "email": "readinggroup@example.com",
                "body": "We read it in the spring. Best choice we have made in years.",
                "approved": True,
            },
        ],
    },
    {
        "title": "Orchestras share players to keep touring small towns",
        "slug": "orchestras-share-players-touring-costs",
        "category": "culture",
        "author": "claire.dubois",
        "byline": "",
        "tags": ["Music", "Inflation", "Economy"],
        "standfirst": (
            "Three regional orchestras will pool musicians and staff as the cost of transport, "
            "hotels and venues rises faster than their funding."
        ),
        "body": """<p>Three regional orchestras have agreed to share musicians and administrative staff in an effort to keep performing in smaller towns as the cost of touring rises.</p>
<p>Under the arrangement, the orchestras will pool their players for larger symphonic works, coordinate their programmes to avoid clashes, and share a single ticketing and marketing team.</p>
<h2>The cost of the road</h2>
<p>Orchestra managers say the costs of transport, hotels and venue hire have risen sharply in recent years, while public funding has fallen in real terms. Some concerts in smaller venues can no longer be staged without a loss.</p>
<blockquote><p>"We could have protected our budgets by staying in the big cities. But an orchestra that only plays to people who can travel to a concert hall is not doing its job," said the chief executive of one of the orchestras.</p></blockquote>
<h2>Musicians' concerns</h2>
<p>The musicians' union said it supported the aim of keeping live music in small towns, but was seeking guarantees that the partnership would not lead to job losses or a shift towards freelance contracts.</p>
<p>The first joint season, which includes concerts in more than 20 towns that have not hosted a professional orchestra for several years, begins in the autumn.</p>""",
        "days_ago": 456,
        "hour": 16,
        "featured": False,
        "allow_comments": True,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a dark teal to pale blue gradient",
            "caption": "The first joint season includes more than 20 towns.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [
            {
                "name": "Cellist (retired)",
                "email": "cellist@example.com",
                "body": (
                    "Touring small towns was the best part of my career. Glad they are "
                    "finding a way to keep doing it."
                ),
                "approved": True,
            },
        ],
    },
    {
        "title": "Lost silent film restored from reels found in an attic",
        "slug": "silent-film-restored-attic-reels",
        "category": "culture",
        "author": "claire.dubois",
        "byline": "",
        "tags": ["Film", "Heritage"],
        "standfirst": (
            "Builders clearing a house found canisters of nitrate film. About 80% of a 1920s "
            "melodrama thought lost for ever has now been recovered."
        ),
        "body": """<p>A silent film from the 1920s that was believed to be lost has been restored from reels of nitrate film discovered in the attic of a house due to be demolished.</p>
<p>The reels were found by builders clearing the property, who contacted the national film archive after noticing the distinctive metal canisters. Nitrate film is highly flammable and becomes unstable with age, and archivists said the reels were removed under careful supervision.</p>
<h2>Painstaking restoration</h2>
<p>The film, a melodrama about a lighthouse keeper and his daughter, had survived only as a handful of still photographs and a synopsis in a trade magazine. About 80% of it has now been recovered.</p>
<p>Restorers scanned each frame at high resolution and used digital tools to repair scratches and mould damage. Missing scenes have been bridged with stills and title cards based on the original synopsis.</p>
<blockquote><p>"When we first opened the cans, some of the film had turned to powder. To be able to show an audience almost the whole thing is more than we hoped for," said an archivist who worked on the project.</p></blockquote>
<h2>Premiere with live music</h2>
<p>The restored film will be shown at a festival of silent cinema next month, with a newly commissioned score performed live. The archive plans to make it free to stream later in the year.</p>""",
        "days_ago": 624,
        "hour": 13,
        "featured": False,
        "allow_comments": True,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a dark teal to pale blue gradient",
            "caption": "Nitrate film becomes unstable and flammable with age.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [
            {
                "name": "Cinéphile",
                "email": "cinephile@example.com",
                "body": (
                    "Saw the restoration at the festival with the live score. Extraordinary "
                    "— the lighthouse sequence is worth the trip alone."
                ),
                "approved": True,
            },
            {
                "name": "Archivist in training",
                "email": "trainee@example.com",
                "body": "Please, everyone: if you find old film, do not open the cans yourself!",
                "approved": True,
            },
        ],
    },
    {
        "title": "Second-tier side reach cup final after penalty shoot-out",
        "slug": "second-tier-side-reach-cup-final",
        "category": "sport",
        "author": "claire.dubois",
        "byline": "",
        "tags": ["Football", "Economy"],
        "standfirst": (
            "Two saves from their goalkeeper and a calm final kick from the captain send the "
            "underdogs to the national stadium for the first time."
        ),
        "body": """<p>A second-tier club will play in the national cup final for the first time in its history after beating top-flight opponents on penalties in a tense semi-final on Saturday.</p>
<p>The match finished 1-1 after extra time. The visitors took the lead with a header midway through the first half, but the underdogs equalised eight minutes from the end of normal time when a low shot from the edge of the area deflected in off a defender.</p>
<h2>Goalkeeper the hero</h2>
<p>In the shoot-out, the second-tier side's goalkeeper saved two of the first four penalties, before the club's captain scored the decisive kick to set off wild celebrations among the travelling supporters.</p>
<blockquote><p>"I told the players before the game that nobody expected anything from us, so we had nothing to lose. They played without fear," the club's manager said afterwards.</p></blockquote>
<h2>A financial windfall</h2>
<p>Reaching the final is worth a substantial sum in prize money and broadcast fees, a major boost for a club whose annual budget is a fraction of its top-flight rivals'. Officials said the money would go towards improving the training ground and the youth academy.</p>
<p>The final will be played next month at the national stadium. The club's ticket allocation is expected to sell out within hours.</p>""",
        "days_ago": 7,
        "hour": 22,
        "featured": False,
        "allow_comments": True,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a navy to sky blue gradient",
            "caption": "The winning penalty set off celebrations in the away end.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [
            {
                "name": "Season ticket since 1994",
                "email": "since1994@example.com",
                "body": (
                    "Thirty years of rain, relegations and cold pies, and now THIS.\n\n"
                    "See you at the national stadium!"
                ),
                "approved": True,
            },
            {
                "name": "Neutral",
                "email": "neutral@example.com",
                "body": "That equaliser was a massive deflection, to be fair.",
                "approved": True,
            },
            {
                "name": "Tickets4U",
                "email": "resale@example.com",
                "body": "Final tickets available now, best prices, message me.",
                "approved": False,
            },
        ],
    },
    {
        "title": "Women's league signs its first standalone broadcast deal",
        "slug": "womens-league-first-broadcast-deal",
        "category": "sport",
        "author": "claire.dubois",
        "byline": "",
        "tags": ["Football", "Women's Sport"],
        "standfirst": (
            "Most matches will be shown live for the next four seasons, and the money will pay "
            "for a minimum salary for every player in the league."
        ),
        "body": """<p>The top women's football league has signed its first broadcast contract negotiated separately from the men's game, in a deal that organisers say will more than triple its income from television rights.</p>
<p>Under the agreement, which runs for four seasons, most matches will be shown live, split between a free-to-air channel and a streaming service. Until now, only a handful of fixtures each season were televised.</p>
<h2>Where the money goes</h2>
<ul>
<li>A minimum salary for every player in the league, rising each season</li>
<li>Investment in pitches and facilities at clubs that currently share grounds</li>
<li>A fund for medical staff, including specialists in women's health and injury prevention</li>
</ul>
<blockquote><p>"Visibility is everything. When girls can watch these players every week, they want to be them, and when sponsors can see the audience, they want to be involved," said the league's chief executive.</p></blockquote>
<h2>Growing crowds</h2>
<p>Attendances at women's matches have grown rapidly since the national team's success at recent international tournaments. The league said average crowds had risen for the third season in a row.</p>
<p>Players' representatives welcomed the deal but said the focus must now turn to working conditions, including guaranteed contracts and maternity provision.</p>""",
        "days_ago": 148,
        "hour": 18,
        "featured": False,
        "allow_comments": True,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a navy to sky blue gradient",
            "caption": "Average attendances have risen for three seasons in a row.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [
            {
                "name": "Maja",
                "email": "maja@example.com",
                "body": "Took my daughter to her first match last month. She has not stopped talking about it.",
                "approved": True,
            },
            {
                "name": "Coach Ben",
                "email": "coachben@example.com",
                "body": "The minimum salary is the headline that matters. Well done to the players' union.",
                "approved": True,
            },
        ],
    },
    {
        "title": "Olympic committee changes how host cities are chosen",
        "slug": "olympic-committee-changes-host-selection",
        "category": "sport",
        "author": "claire.dubois",
        "byline": "",
        "tags": ["Olympics", "Climate"],
        "standfirst": (
            "Existing venues and the likely heat in decades to come will count for more, as "
            "organisers try to make the Games cheaper and safer to host."
        ),
        "body": """<p>The International Olympic Committee has published new criteria for choosing host cities, giving greater weight to the use of existing venues and to the likely effect of rising temperatures on athletes and spectators.</p>
<p>Under the revised process, a commission will hold open-ended talks with interested cities and countries before recommending a preferred candidate, rather than running a competitive bidding contest that critics said encouraged extravagant promises.</p>
<h2>Climate a growing concern</h2>
<p>Summer Games are increasingly held in conditions that athletes' groups say are unsafe for endurance events. Winter Games face a different problem: a shrinking number of places with reliable natural snow.</p>
<blockquote><p>"We have to think about the climate in 2040, not the climate we had when the venues were built," a member of the commission said.</p></blockquote>
<h2>Fewer new stadiums</h2>
<p>Candidates will be expected to use existing or temporary venues for the vast majority of events. The committee has also said it is open to the Games being spread across several cities, or even neighbouring countries.</p>
<p>Campaign groups that have helped to defeat several Olympic bids in recent years said the changes were welcome, but that the Games remained too expensive for most host cities to justify.</p>""",
        "days_ago": 176,
        "hour": 14,
        "featured": False,
        "allow_comments": True,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a navy to sky blue gradient",
            "caption": "Candidates will be expected to use existing venues for most events.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [
            {
                "name": "Jean-Pierre",
                "email": "jp@example.com",
                "body": (
                    "Spreading the Games across countries is the obvious answer. Why build a "
                    "velodrome that will never be used again?"
                ),
                "approved": True,
            },
        ],
    },
    {
        "title": "City marathon moves to an earlier start as summers get hotter",
        "slug": "city-marathon-earlier-start-heat",
        "category": "sport",
        "author": "claire.dubois",
        "byline": "",
        "tags": ["Athletics", "Climate", "Health"],
        "standfirst": (
            "Next year's race will start at 7am after hundreds of runners needed treatment for "
            "heat-related illness this year."
        ),
        "body": """<p>Organisers of the city marathon will move the start of next year's race forward by two hours, to 7am, after record temperatures during this year's event led to a sharp rise in the number of runners needing medical treatment.</p>
<p>Temperatures reached the low thirties Celsius by late morning, when thousands of amateur runners were still on the course. Medical teams treated several hundred people for heat-related illness, and more than 20 were taken to hospital.</p>
<h2>Other changes</h2>
<ul>
<li>More water stations and shower points along the second half of the route</li>
<li>A heat warning system that could shorten or cancel the race in extreme conditions</li>
<li>Guidance for runners on training and drinking in warm weather</li>
</ul>
<blockquote><p>"Mass-participation running grew up in an era of cooler summers. We have to adapt if we want these events to stay safe," the race director said.</p></blockquote>
<h2>A wider trend</h2>
<p>Several major marathons have moved their start times earlier or switched to cooler months in recent years. Sports scientists warn that amateur runners, who spend longer on the course and are often less used to the heat, are the most at risk.</p>
<p>Entries for next year's race open next month.</p>""",
        "days_ago": 764,
        "hour": 17,
        "featured": False,
        "allow_comments": True,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a navy to sky blue gradient",
            "caption": "Temperatures reached the low thirties by late morning.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [
            {
                "name": "Runner #4512",
                "email": "runner4512@example.com",
                "body": (
                    "I was one of the ones in the medical tent at km 35. An earlier start is "
                    "the right call."
                ),
                "approved": True,
            },
        ],
    },
    {
        "title": "Sports ministers agree to increase anti-doping funding",
        "slug": "sports-ministers-anti-doping-funding",
        "category": "sport",
        "author": "rohan.mehta",
        "byline": "",
        "tags": ["Olympics", "Athletics", "Health"],
        "standfirst": (
            "More money for out-of-competition testing follows complaints that athletes in some "
            "countries can go months without an unannounced test."
        ),
        "body": """<p>Sports ministers from more than 40 countries have agreed to increase their contributions to international anti-doping work, after warnings that testing programmes were failing to keep up with new methods of cheating.</p>
<p>The extra money will pay for more out-of-competition testing, research into detecting new substances, and support for national anti-doping agencies in countries with limited resources.</p>
<h2>Gaps in testing</h2>
<p>Athletes' representatives have long complained that testing is uneven, with competitors in some countries tested far more often than others. Independent reviews have found that athletes in several sports can go months without an unannounced test.</p>
<blockquote><p>"Clean athletes need to know that their rivals face the same scrutiny they do. At the moment, they cannot be confident of that," said a representative of an athletes' commission.</p></blockquote>
<h2>Questions of independence</h2>
<p>Some ministers used the meeting to call for changes to the way anti-doping is governed, arguing that sports organisations still have too much influence over the bodies meant to police them. A working group will report on proposals next year.</p>
<p>Anti-doping officials said the funding increase was welcome but would take time to turn into more tests, because additional sample collection staff must first be recruited and trained.</p>""",
        "days_ago": 204,
        "hour": 16,
        "featured": False,
        "allow_comments": True,
        "status": "published",
        "image": {
            "alt": "Abstract illustration: soft, overlapping circles on a navy to sky blue gradient",
            "caption": "The money will pay for more out-of-competition testing.",
            "credit": "Illustration: The Meridian",
        },
        "comments": [
            {
                "name": "Former sprinter",
                "email": "sprinter@example.com",
                "body": (
                    "In eight years competing I was tested out of competition twice. Some "
                    "rivals were tested every month. This is long overdue."
                ),
                "approved": True,
            },
        ],
    },
]
