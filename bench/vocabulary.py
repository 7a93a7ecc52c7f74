"""The words bench/populate.py makes ten years of stories, names and comments from."""


def words(text):
    return tuple(text.split())


PLACES = words(
    "Kazakhstan Almaty Astana Uzbekistan Tashkent Kyrgyzstan Bishkek Tajikistan Turkmenistan "
    "Mongolia China Russia Turkey Iran Azerbaijan Georgia Armenia Europe Brussels Berlin Paris "
    "London Washington Beijing Moscow Ankara Tehran Baku Tbilisi Delhi Tokyo Seoul Caspian Aral"
)
SUBJECTS = words(
    "government parliament ministry central-bank court city-council opposition army police "
    "farmers teachers doctors miners students investors exporters airline railway utility "
    "regulator union scientists"
)
ACTIONS = words(
    "approves rejects delays announces unveils questions defends expands cuts raises suspends "
    "reviews backs opposes revives"
)
TOPICS = words(
    "budget election reform tariffs pipeline railway wheat harvest pension inflation currency "
    "drought water treaty visa rules mining licences grain exports oil output gas prices housing "
    "plan school funding hospital upgrade tax rules wage deal border crossing power grid"
)
WORDS = words(
    "the of and to in a is that for on was with as by at from it an be this which have are has "
    "were not but or its their more after year years new said people government minister "
    "country region market prices election officials report city would could about million "
    "percent first last week month time water energy trade border workers plan project budget "
    "public local national president parliament since against while where between under "
    "economy growth bank investment schools hospitals farmers harvest weather rain river "
    "mountains road railway airport exports imports oil gas coal wheat cotton tourism reform "
    "court law police security talks agreement meeting visit statement spokesman analysts "
    "residents families children students teachers doctors prices wages costs tax income"
)
CATEGORY_NAMES = words(
    "World Politics Business Economy Markets Energy Technology Science Health Education "
    "Environment Climate Culture Arts Books Film Music Sport Football Travel Food Opinion "
    "Analysis Interviews Features Investigations Local Regions Cities Society Religion Law "
    "Crime Transport Agriculture Mining Media Weather Obituaries Letters"
)
FIRST_NAMES = words(
    "Asel Dana Aruzhan Nurlan Yerlan Madina Timur Aigerim Dias Saule Ruslan Zarina Daniyar "
    "Kamila Arman Elena Oleg Maria Ivan Anna"
)
LAST_NAMES = words(
    "Nurlanova Abenov Seitkali Omarova Kassymov Zhunusova Bekov Tulegenova Iskakov Sadykova "
    "Petrova Smirnov Karimova Yusupov Alieva"
)
COMMENT_NAMES = (*FIRST_NAMES, "Reader", "Observer", "Anon", "Local", "Expat", "Teacher")
COMMENT_SENTENCES = (
    "Thank you for this clear report.",
    "I have lived here twenty years and never seen prices like this.",
    "Who will pay for all of this in the end?",
    "The article leaves out what the opposition said.",
    "Good to see someone asking the ministry these questions.",
    "This is exactly what happened in our town last spring.",
    "I disagree: the reform was overdue and will help farmers.",
    "Is there a link to the full report?",
    "Excellent reporting, as usual.",
    "The numbers in the third paragraph do not add up.",
)
