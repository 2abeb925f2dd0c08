package briefing

// The lexicon: every word list the engine uses, in one place. Lists are
// lower case unless a comment says otherwise; setOf builds them from
// space-separated words.

import "strings"

// Reporting cues. A cue is a verb that reports speech or writing; the
// lexicon says how its complement is built.
type cueClass uint8

const (
	cueClause cueClass = iota + 1 // "said (that) Y", "told X (that) Y": the complement is a claim
	cueObject                     // "denied the report", "called for talks": the whole clause is the claim
)

var cueVerbs = map[string]cueClass{}

func init() {
	for _, w := range strings.Fields(`said says told tells stated states wrote writes added adds claimed claims argued
argues insisted insists noted notes warned warns acknowledged acknowledges admitted admits confirmed confirms
estimated estimates predicted predicts believes believed testified testifies explained explains reported
reports announced announces suggested suggests recalled recalls conceded concedes maintained maintains
contended contends alleged alleges asserted asserts emphasized emphasizes emphasised stressed stresses
complained complains cautioned cautions countered counters replied replies responded agreed agrees posted
tweeted observed speculated hinted indicated indicates revealed disclosed promised promises pledged
declared declares concluded concludes answered objected remarked reiterated repeated assured informed
reminded projected forecast forecasts disputed disputes denied denies asked asks say tell state write claim
argue insist warn admit confirm estimate predict believe deny dispute found finds show shows showed
boasted boasts fumed fumes raged`) {
		cueVerbs[w] = cueClause
	}
	for _, w := range strings.Fields(`called calls urged urges rejected rejects criticized criticised condemned
demanded demands accused accuses described describes questioned defended vowed vows`) {
		cueVerbs[w] = cueObject
	}
}

// isVerbInPhrase reports whether k is a reporting verb where a noun phrase
// is being read. Capitalized words and base forms ("state", "claim") are
// nouns there.
func isVerbInPhrase(k *tok) bool {
	return !k.cap && (k.in(lexCueVerbs) && !k.in(lexBaseForms) || k.in(lexParticipleCues))
}

// Verbs in -s that are more often plural nouns: "four other states".
var nounsInS = setOf(`states claims reports notes estimates forecasts promises answers counters`)

// Verbs that report speech in every sense: with a subject that names no
// one for certain, the claim is still someone's ("attribution unclear").
var strongCues = setOf(`said says told tells wrote writes added adds asked asks stated claimed
insisted argued warned testified declared explained`)

// Verbs that may come before their speaker: "“…,” said Marta Olvera".
var invertible = setOf(`said says added adds asked asks wrote writes continued recalled explained noted
argued insisted warned declared replied countered cautioned stated confirmed acknowledged observed
remarked answered responded estimated predicted conceded boasted fumed raged`)

// Verbs whose object is the listener: "told Reuters that ...".
var listenerVerbs = setOf(`told tells tell assured informed reminded warned warns urged urges asked asks`)

// Base forms need a plural subject to be a finite cue ("officials say").
var baseForms = setOf(`say tell state write claim argue insist warn admit confirm estimate predict believe deny dispute
show`)

// Words after which a reporting verb is passive ("was announced", "when
// asked"), an infinitive ("to say"), a noun or an adjective ("the stated
// goal", "its claims"), or negated.
var notCueAfter = setOf(`to was were is are be been being a an the so-called its their his her our not never no
it’s it's that’s that's ’s 's when whenever if once unless until while`)

// Words that negate or refuse a reporting verb: "declined to comment".
var negations = setOf(`not never declined refused cannot nor`)

// Verbs that are a cue only in some constructions; see validCue.
var pickyCues = setOf(`found finds show shows showed added adds called calls posted reported reports described describes answered
repeated defended questioned projected forecast forecasts observed declared declares announced announces`)

// Participles that carry the main clause's subject: ", saying that Y".
var participleCues = setOf(`asking saying stating adding claiming arguing noting warning insisting explaining writing
telling asserting suggesting acknowledging admitting confirming estimating predicting denying disputing calling
urging describing`)

// Words that may stand between a subject and its verb without being part
// of the subject ("officials have long said", "she also told").
var auxWords = setOf(`has have had will would did does do now both all each too even also later previously
recently repeatedly once again then
publicly privately separately earlier first further directly initially originally subsequently
afterward afterwards already since long still often frequently`)

// Sources named in "according to X" that are not sources of a claim.
var notSources = setOf(`plan plans schedule script tradition custom rules rule law laws protocol policy
procedure procedures guidelines regulations design`)

// People: gender.

// Head nouns of noun phrases that mean a single person in a role, for
// "the spokeswoman said" and "she" to find.
var femaleWords = setOf(`she her mrs ms spokeswoman chairwoman councilwoman congresswoman businesswoman mother wife
daughter sister aunt grandmother queen princess actress waitress woman girl ms. mrs. lady dame
assemblywoman alderwoman sportswoman policewoman mayoress`)

var maleWords = setOf(`he him his mr spokesman chairman councilman congressman businessman father husband son
brother uncle grandfather king prince actor man boy mr. sir lord assemblyman alderman sportsman policeman`)

// A short list of common first names, used only to tell "he" from "she"
// when an article names people of both.
var femaleNames = setOf(`mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy
betty margaret sandra ashley kimberly emily donna michelle carol amanda melissa deborah stephanie rebecca
sharon laura cynthia kathleen amy angela shirley anna brenda pamela emma nicole helen samantha katherine
christine debra rachel carolyn janet catherine maria heather diane ruth julie olivia joyce virginia
victoria kelly lauren christina joan evelyn judith megan andrea cheryl hannah jacqueline martha gloria
teresa ann sara madison frances kathryn janice jean abigail alice judy sophia grace denise amber doris
marilyn danielle beverly isabella theresa diana natalie brittany charlotte marie kayla alexis lori
ana sofia lucia elena marta carmen rosa isabel claire chloe camille fatima aisha amina leila layla
yasmin priya anita sunita mei ling yuki keiko ingrid astrid greta freya nadia olga irina svetlana
tanya vera zoe ella mia ava lily nora ellie hazel aurora violet stella maya leah audrey ruby alicia
gabriela mariana valentina ximena renee monique yvonne sylvie brigitte simone gemma fiona siobhan
aoife niamh kate beth jane joanna jo lena linnea ingrid hilde annika elisa giulia francesca chiara
paola beatriz ines rania noor hana sana miriam naomi esther tamar dalia ngozi chioma amara adaeze
thandiwe zanele wanjiru akosua abena hillary carly kellyanne huma debbie nikki melania ivanka chelsea
loretta condoleezza madeleine valerie sonia jeanne marsha kirsten tammy dianne patty maxine hope katie
kristen gwen janet jill tulsi kamala stacey liz betsy nancy cheri heidi shelley lisa joni mazie
jeanne barbara susana michele megyn mika andrea norah savannah dana kelly katy brooke
nicola harriet jacqui yvette priti nadine penny anne caroline lucy sophie alison tracey louise joanne
gillian sally kirsty kezia justine suella theresa`)

var maleNames = setOf(`james robert john michael david william richard joseph thomas charles christopher marcus
daniel matthew anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy ronald
edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin
samuel gregory alexander frank patrick raymond jack dennis jerry tyler aaron jose adam nathan henry
douglas zachary peter kyle ethan walter noah jeremy christian keith roger terry gerald harold sean
austin carl arthur lawrence dylan jesse jordan bryan billy joe bruce gabriel logan albert willie alan
juan wayne elijah randy roy vincent ralph eugene russell bobby mason philip louis carlos miguel luis
jorge diego pedro pablo javier antonio manuel francisco rafael alejandro mohammed muhammad ahmed ali
omar hassan hussein khalid yusuf ibrahim mahmoud basem karim tariq rashid hamid amir reza hamza
raj rahul amit sanjay vijay arjun ravi wei jian hiroshi takeshi kenji hans klaus jurgen stefan lars
sven olaf erik nils pierre jean-pierre jacques francois michel luc marco luca giovanni giuseppe
alessandro matteo andrea sergei dmitri vladimir ivan nikolai oleg yuri boris igor liam oliver owen
lucas leo hugo felix oscar max theo finn declan conor ciaran seamus callum angus rory kwame kofi
chinedu emeka oluwaseun tunde obinna thabo sipho jomo kamau barack bernie ted marco jeb ben rand mike
newt mitt rick bobby tim jim bill tom dick al ron rudy reince mitch harry chuck corey jared eric steve
rob rudolph lindsey orrin mitchell pat ed jon kirk rex bob dan doug jeff ken ray ralph rodney roy stan
vince wade walt wes zach bart brad brett chad clay dale darrell dean dwight earl floyd glenn gordon
grant hank herb howard ira jay joel karl kent lance lane lloyd marty mel merle mickey milt morris
ned nick ollie otto pete phil quentin reggie rex ross sam seth shane sid skip ted travis trent troy
vern ward wayne woody joaquin beto julian deval evan martin jerry kasich
chris matt tony andy dave greg neil ian barry graham`)

// Sentence splitting.

// Abbreviations are looked up with their first letter as written and the
// rest folded to lower case: "Gov" and "GOV" match "gov", "gov" does not
// (a "sales rep." can end a sentence).

var starters = setOf(`The A An He She It They We I You His Her Its Their Our My This That These Those
There Here But And Or So Yet Still In On At For After Before When While If As Although Though However
Meanwhile Now Then Some Many Most All No None Last Earlier Later Since Because According Asked
Both Each Every Neither Other Others One Two Three Several Few Such What Who Why How Where Officials
Police Authorities Critics Residents Analysts Experts Investors Shares Sales Prices
During With Without From By Under Despite Also Instead Even Not Only Over About More Another
Today Yesterday Tomorrow Next First Finally Separately Elsewhere Overall Lawmakers Prosecutors
Investigators Witnesses Doctors Firefighters Officers Voters Fans Workers Students Parents`)

// titleAbbrevs precede a name; they end a sentence only when one of them is
// also a name (Sen).
var titleAbbrevs = setOf(`mr mrs ms mx dr prof gov sen rep rev gen lt col capt cmdr adm maj sgt cpl pvt
fr msgr hon pres supt det insp atty amb sens reps messrs mmes brig spc`)

// neverEndAbbrevs are lower-case abbreviations that never end a sentence.
var neverEndAbbrevs = setOf(`vs v approx cf`)

// numberAbbrevs precede a number; before anything else the period ends the
// sentence ("The answer was no.").
var numberAbbrevs = setOf(`No Nos no nos Art Vol vol Fig fig p pp`)

var monthAbbrevs = setOf(`jan feb mar apr jun jul aug sep sept oct nov dec`)

// otherAbbrevs, capitalized, and lowerAbbrevs end sentences as well as
// standing inside them: those in names and addresses, and states.
var nameAbbrevs = setOf(`inc corp co cos ltd llc jr sr bros st ave blvd rd mt ft dept univ assn`)

var otherAbbrevs = union(nameAbbrevs, setOf(`ala ariz ark calif colo conn del fla ga ill ind kan kans ky la md
mass mich minn miss mo mont neb nev okla ore pa tenn tex va vt wash wis wyo`))

var lowerAbbrevs = setOf(`etc co inc`)

// afterTimeWords continue a time of day rather than start a sentence:
// 9 a.m. Eastern time, 10 a.m. Monday, 2 p.m. Jan. 5.
var afterTimeWords = setOf(`Eastern Pacific Central Mountain ET EST EDT PT PST PDT CT CST CDT MT GMT
UTC BST CET CEST local Local Monday Tuesday Wednesday Thursday Friday Saturday Sunday
Jan Feb Mar Apr May Jun Jul Aug Sep Sept Oct Nov Dec January February March April June July
August September October November December`)

var tailVerbs = setOf(`said says asked asks added adds replied shouted wrote writes told
recalled explained insisted cried yelled answered responded remarked continued declared`)

// sayVerbs commonly start a new sentence after a capitalized subject
// ("Officials said the ..."); after a quote they are an attribution only
// when an adverbial follows.
var sayVerbs = setOf(`said says added adds`)

var afterSaid = setOf(`in on at during after before from to via while when of as late earlier later
last this today yesterday Monday Tuesday Wednesday Thursday Friday Saturday Sunday`)

// Noun phrases and speakers.

// Words that never belong inside a speaker's noun phrase.
var npStop = setOf(`that which who whom whose and but or nor so because when while if as after before although
though since than then until unless whether where why how is was are were be been being am has have had do does
did will would can could should may might must shall not never also said says say told tells stated wrote added
claimed according to by into onto over under about against between through during without within amid despite
this these those there here it its it’s it's he she they we i you him her them us me his their our my your
however meanwhile moreover yet still just only even already now`)

// quantityWords count a group without naming it: "Several officials".
var quantityWords = setOf(`several many some few dozens hundreds thousands both`)

// sentenceAdverbs open a sentence before its subject, capitalized only
// because they come first ("Well, we'll never know", "Initially Ruiz
// said"), as a caption's "Pictured" does: never a name, nor part of one.
var sentenceAdverbs = setOf(`pictured well yes oh ah maybe perhaps soon initially typically originally eventually
ultimately finally sadly indeed luckily fortunately unfortunately thankfully surprisingly interestingly
ironically apparently clearly obviously hopefully naturally notably recently currently previously
meanwhile instead otherwise nevertheless nonetheless anyway besides likewise similarly`)

// functionWords are the words that are never a name on their own, even
// capitalized ("That’s", "At Least"): npStop, determiners and prepositions.
var functionWords = map[string]bool{}

func init() {
	for _, set := range []map[string]bool{npStop, determiners, npPreps, placePreps} {
		for w := range set {
			functionWords[w] = true
		}
	}
}

// Prepositions that may join a speaker's noun phrase ("a spokesperson for
// the airline", "people familiar with the matter").
var npPreps = setOf(`of for with at from in on to`)

var determiners = setOf(`the a an this that these those its their his her our`)

// Titles and roles written before a name. The name starts after the last one.
var titleWords = setOf(`mr mrs ms dr prof sgt insp cllr supt det pc dc rev gen col capt lt cpl president president-elect vice prime minister secretary gov. governor sen. senator rep.
representative mayor judge justice chief dr. mr. mrs. ms. mx. prof. professor gen. general lt. lieutenant col.
colonel capt. captain cmdr. adm. admiral maj. major sgt. sergeant officer detective det. insp. inspector
sheriff commissioner director superintendent supt. chancellor chairman chairwoman chair chairperson ceo cfo
coo founder executive manager coach king queen prince princess pope rev. reverend father sister bishop
archbishop imam rabbi ambassador amb. councilman councilwoman councillor councilor alderman alderwoman
speaker leader spokesman spokeswoman spokesperson attorney prosecutor lawyer economist analyst dean principal
trooper deputy assemblyman assemblywoman delegate pastor minister-elect mayor-elect governor-elect
secretary-general premier chancellor-elect senator-elect chair-elect treasurer auditor comptroller
controller administrator inspector-general surgeon nurse doctor physician scientist researcher professor
author editor commander marshal constable lord lady dame sir captain-elect`)

// religiousAddress are forms of address that, before a single name, are
// part of the name a person goes by: "Sister Gerald", "Pope Francis"; and
// peers' titles, which name the peer, not another of the family ("Lord
// Janner" is not his son Daniel Janner).
var religiousAddress = setOf(`sister brother pope imam rabbi swami lord baroness baron viscount earl`)

// Honorifics are not roles.
var honorifics = setOf(`mr. mrs. ms. mx. dr. mr mrs ms dr sir dame`)

// Heads of noun phrases naming unnamed sources.
var anonHeads = setOf(`source sources person people insider insiders someone individual individuals`)

var orgSuffixes = setOf(`inc. inc corp. corp co. ltd. ltd llc plc group company companies corporation department chamber
ministry agency council commission court university college hospital association union party police service
services bank foundation institute center centre board authority office administration committee government
network airlines airline church club team league federation fund partners holdings industries systems
laboratories labs school district museum society trust coalition alliance organization organisation
cabinet senate house assembly parliament congress bureau division campaign project`)

// Nouns that "the <noun>" may use to refer back to an organization.
var orgNouns = setOf(`company firm business retailer automaker carmaker airline bank lender startup manufacturer
maker utility carrier chain group insurer developer contractor operator publisher hospital district agency
department ministry office club team league union university council board government administration
organization organisation charity nonprofit city county state court party network broadcaster newspaper paper
outlet magazine station campaign committee commission authority institute museum school police`)

// Groups of people that speak: "critics said", "both sides say".
var groupNouns = setOf(`man woman men women boy girl child children friend friends wife husband mother father
son daughter brother sister businessman businesswoman magnate tycoon mogul billionaire millionaire star
celebrity actor actress singer host anchor nominee hopeful frontrunner front-runner contender challenger
incumbent heavyweights movement campaign camp group website outlet people voters residents critics supporters opponents analysts experts democrats
republicans conservatives liberals progressives activists advocates protesters demonstrators leaders
members families parents students workers employees staff crowd audience public americans citizens fans
donors delegates superdelegates lawmakers legislators candidates rivals allies aides advisers advisors
insiders observers scholars economists historians scientists researchers doctors nurses police officers
investigators prosecutors authorities officials organizers sponsors backers strategists operatives
pollsters side sides others some many most few several both each all majority minority plurality
respondents participants attendees victims witnesses survivors relatives friends colleagues neighbors
neighbours veterans troops soldiers forces militants rebels insurgents fighters gunmen clergy experts
environmentalists conservationists economists team panel jury judges court justices couple pair`)

// Documents and data that say things: "a poll found", "the report says".
var docNouns = setOf(`report poll survey study analysis review audit investigation estimate projection data
figures statistics numbers count tally research paper memo memorandum document email e-mail letter
statement release filing complaint lawsuit suit indictment ruling order opinion decision verdict transcript
record website site post tweet video ad advertisement commercial spot book article story editorial column
blog footage message note documents records results findings evidence chart map model index forecast
average returns summary page proposal counterproposal platform memoir memoirs biography autobiography diary
account minutes notes guidance guidelines textbook manual handbook playbook brochure pamphlet flyer
leaflet slogan sign`)

// Numbers written as words.
var numberWords = setOf(`one two three four five six seven eight nine ten eleven twelve twenty thirty forty
fifty sixty seventy eighty ninety hundred dozen dozens hundreds thousands millions`)

// Words that follow the head of a noun phrase and end it: "people
// familiar with", "the data available from", "officials who".
var postnominals = setOf(`who familiar briefed close speaking available involved responsible concerned aware
present knowledgeable`)

// Channels that carry someone's words but say nothing of their own: "a
// statement from the police" is the police's.
var channelOnly = setOf(`statement statements interview interviews release remarks speech tweet tweets post
posts video conference briefing appearance call address rally session meeting hearing testimony podcast
broadcast livestream announcement message text email e-mail letter`)

// Words that end like agent nouns but name no one.
var notAgents = setOf(`number order paper letter water matter other under after never ever over power summer
winter quarter border center centre error factor sector floor door percent event content accident incident
plant grant giant variant restaurant corner cancer dollar answer chapter character computer dinner disaster
encounter shelter theater theatre weather chamber offer poster trailer wonder rumor rumour favor favour
labor labour mirror horror minor terror motor cursor elevator interior exterior behavior behaviour
harbor harbour vapor vapour color colour parlor parlour tumor tumour liquor manor armor armour meteor
explosive incentive initiative alternative narrative objective perspective directive legislative motive`)

// What else an organization's name may say for "the <noun>" to refer to it.
var orgKinds = map[string]string{
	"agency":     "administration service bureau department commission office authority transit",
	"department": "ministry",
	"ministry":   "department",
	"union":      "federation association brotherhood guild",
	"institute":  "institution",
	"university": "college",
	"foundation": "fund trust",
	"airline":    "airlines airways air",
	"bank":       "bancorp reserve",
	"government": "administration",
	"party":      "democrats republicans",
	"police":     "department",
	"school":     "academy college",
	"charity":    "foundation trust fund",
	"nonprofit":  "foundation trust fund institute center centre",
	"committee":  "commission",
	"commission": "committee",
}

// Nouns for any organization: "the group" is the one named just before.
var genericOrgNouns = setOf(`group organization organisation`)

// Words that may open a role written before a name: "former Sen.",
// "longtime Republican strategist", "state party chairwoman".
var roleModifiers = setOf(`former longtime veteran senior top chief deputy acting interim presidential vice
assistant associate executive general political state party campaign city county federal national
international foreign press communications finance policy legal economic security defense health education
energy environment environmental labor union senate house congressional white legislative democratic
republican conservative liberal progressive independent local regional district managing founding principal
lead head retired then current incoming outgoing prominent leading chosen elected`)

// Nouns for a sports team, whose name is a plural: "the Rivertown Otters".
var teamNouns = setOf(`team club franchise side squad`)

// Nouns for a business: "the company" refers to a name that ends like one.
var businessNouns = setOf(`company firm business retailer automaker carmaker lender startup manufacturer maker
utility carrier chain insurer developer contractor operator publisher corporation`)

// Offices a person holds; "the president" is not the governor.
var offices = setOf(`president governor senator mayor secretary minister representative congressman
congresswoman judge justice sheriff chancellor speaker ambassador commissioner premier king queen pope`)

var officeAbbrevs = map[string]string{"sen": "senator", "gov": "governor", "rep": "representative", "pres": "president"}

// Outlets: nouns that mark a news organization.
var outletNouns = setOf(`newspaper paper daily weekly broadcaster magazine outlet network station channel
tabloid website site radio television tv`)

var knownOutlets = setOf(`reuters ap afp bloomberg cnn bbc newsweek axios politico nbc abc cbs fox msnbc npr pbs
al-akhbar al jazeera haaretz ynet upi dpa xinhua tass efe ansa kyodo yonhap semafor`)

// Outlet names ending in these words are news organizations.
var outletNameEnds = setOf(`times post journal news tribune herald gazette chronicle guardian telegraph
independent observer express mail mirror sun globe examiner inquirer bulletin review record star standard
dispatch courier register reporter press magazine daily weekly wire ledger beacon sentinel monitor
leader-post leader enquirer advocate democrat republic citizen eagle tribune-review`)

// Channels a statement can come through ("in a statement", "in a filing").
var channelNouns = setOf(`statement interview filing letter email e-mail post tweet video memo speech remarks
address briefing conference hearing testimony podcast broadcast op-ed essay column blog report release
affidavit lawsuit complaint motion papers documents document submission appearance message text call note
newsletter
announcement livestream rally session meeting appearance`)

var timeWords = setOf(`time days weeks months years decades hours minutes monday tuesday wednesday thursday friday saturday sunday today yesterday tonight
morning afternoon evening night week weekend month year earlier later last this next recently
previously again once separately also publicly privately repeatedly then first further directly
initially originally subsequently afterward afterwards early late`)

var monthNames = setOf(`january february march april may june july august september october november december
jan. feb. mar. apr. jun. jul. aug. sep. sept. oct. nov. dec.`)

var pronouns = setOf(`he she they it we i`)

var roleNouns = setOf(`member official officer spokesperson spokesman spokeswoman representative director
head engineer manager analyst economist adviser advisor aide expert researcher scientist professor teacher
lawyer attorney judge prosecutor minister secretary chief leader founder owner executive chairman chairwoman
president candidate lawmaker legislator senator governor mayor commissioner councilmember coach player
captain doctor physician nurse surgeon epidemiologist paramedic firefighter worker resident student parent
witness victim survivor author editor reporter correspondent strategist consultant negotiator diplomat
envoy ambassador general colonel commander investigator detective sheriff trustee superintendent principal
administrator organizer activist advocate organiser pastor priest imam rabbi chaplain historian planner
architect inspector auditor treasurer clerk vice deputy ceo cfo coo founder co-founder partner owner
manager forecaster meteorologist hydrologist geologist seismologist spokesperson striker midfielder
defender goalkeeper quarterback pitcher guard forward referee umpire agent broker trader banker
economist chemist biologist physicist engineer technician pilot driver operator clerk assessor
coroner registrar recorder nominee hopeful frontrunner front-runner contender challenger incumbent
republican democrat libertarian`)

var dayNames = setOf(`monday tuesday wednesday thursday friday saturday sunday monday’s tuesday’s
wednesday’s thursday’s friday’s saturday’s sunday’s`)

// Last words of organization names beyond the formal suffixes.
var orgNameWords = setOf(`homes foods motors energy health healthcare systems capital partners media
holdings securities insurance pharmaceuticals pharma labs technologies tech solutions logistics farms
builders construction realty properties rail transit railways railway railroad airways utilities
electric power water gas oil mining steel industries manufacturing brands stores markets supermarkets
restaurants hotels resorts communications telecom wireless networks software studios entertainment
records publishing press books clinic clinics hospitals pharmacy bancorp financial investments fund funds
trust associates consulting advisors ventures enterprises international worldwide global america
americas works rovers wanderers athletic albion hotspur fc afc`)

var platforms = setOf(`facebook twitter x instagram tiktok youtube linkedin bluesky threads telegram truth
mastodon reddit substack weibo wechat`)

// Clauses around a cue.

// Prepositions after which a reporting verb tells of an event rather than
// a statement: "testified before the panel", "wrote from prison".
var eventPreps = setOf(`before after with at in during into outside inside near behind beside across around
through over under amid upon following from by off up out without`)

// Verbs that often take a noun phrase rather than a clause: without "that"
// and with no clause after them, the claim is the whole sentence
// ("estimated repairs at $9 million").
var nounObjectVerbs = setOf(`estimated estimates predicted predicts projected forecast forecasts reported
reports confirmed confirms acknowledged acknowledges announced announces revealed disclosed admitted admits
noted notes promised promises pledged declared declares`)

// Auxiliaries, modals and copulas: a clause has one or a verb.
var finiteWords = setOf(`is are was were will would can could should may might must has have had do does did
shall won't wouldn't can't couldn't isn't aren't wasn't weren't`)

// Irregular past tenses and participles that may follow a subject.
var irregularPasts = setOf(`won led lost beat met held took gave made sent spent ran left hit cut set put paid
sold bought brought got kept became began found built drew drove fought flew grew knew owned run hired known
struck stole swore threw understood wore chose shot sought caught taught thought felt meant heard fled
swept spoke broke rose fell stood came went sat`)

// Words before a number that make a share: "About 4 in 10 say".
var approximators = setOf(`about around roughly nearly almost over under some`)

// Participles that describe the people of a subject rather than being its
// verb: "registered voters", "retired teachers".
var participleAdjectives = setOf(`registered elected retired undecided committed unaffiliated married educated
college-educated unemployed`)

// Pronouns, and their contractions, that never name a speaker on their own.
var pronounForms = setOf(`i i've i'm i'd i'll i’ve i’m i’d i’ll we we've we're we'd we’ve we’re we’d you
you've you're you’ve you’re it's it’s there`)

// Words after which a clause, and a subject, may begin.
var clauseOpeners = setOf(`and but or nor so yet as that because while when whereas although though since
if after before until unless where`)

// Nouns ending in -ing, which are no participles: "the morning", "a ruling".
var ingNouns = setOf(`morning evening building meeting funding spending thing nothing something anything
everything king ring wing string spring ceiling briefing hearing ruling filing wedding sibling
offspring setting opening ending beginning painting warning landing rating ranking reading training
housing clothing feeling being earnings savings proceedings findings holdings dealings`)

// Prepositions of a phrase that may close an attribution.
var placePreps = setOf(`in on at outside inside near to with from during before after following
behind beside across around over under at amid upon`)

// Verbs whose object is usually a noun phrase, so the claim is in a
// participle that follows, or is the clause itself.
var objectVerbs = setOf(`disputed disputes denied denies rejected rejects criticized criticised condemned
questioned defended responded countered objected emphasized emphasised stressed announced announces
promised pledged vowed acknowledged confirmed reported`)

var introWords = setOf(`in on at after before during throughout since when while although though as because
if following despite amid now earlier later last this with without for under over by from unlike like once
upon until within across among beyond given in addition meanwhile however still yet`)

// Briefings.

// Verbs that qualify what is reported: a bullet says them.
var stanceVerbs = setOf(`claimed claims alleged alleges estimated estimates predicted predicts speculated
contended contends asserted asserts`)

var stopwords = setOf(`a an the and or but if then than that this these those there here of in on at to for
from by with without about into over under after before during between through against among as is are was
were be been being am has have had do does did will would can could should may might must shall not no nor so
too very just also only even still yet it its it’s he she they we i you him her them us me his their our my
your who whom whose which what when where why how all any both each few more most other some such own same
said says say told tell added according s t one two new would said’`)

// Briefings: what is not the story (see boilerplate.go).

// Captions start with these (lower-cased).
var captionStarts = []string{"pictured", "above:", "below:", "left:", "right:", "top:"}

// Sentences that start with these (lower-cased) are navigation, sharing
// prompts, bylines, timestamps or credits.
var boilerplateStarts = []string{
	"scroll down", "click here", "click to ", "read more", "read the full", "see more", "see also", "watch the video",
	"watch video", "watch:", "video:", "videos:", "follow us", "follow @", "follow him on", "follow her on",
	"follow them on", "like us on", "sign up for", "subscribe to", "share this", "share or comment", "related:",
	"related articles", "related stories", "more:", "published:", "updated:", "last updated", "first published",
	"this article was", "this story was", "this story has been", "copyright ©", "©", "all rights reserved",
	"photo:", "photos:", "photograph:", "photographs:", "picture:", "pictures:", "image:", "images:",
	"image copyright", "image caption", "media caption", "credit:", "credits:", "getty images", "file photo",
	"ap photo", "(ap photo", "(photo", "(image", "daily mail reporter", "mailonline reporter",
	"associated press reporter", "by . ", "e-mail to a friend", "email to a friend", "print this",
	"download the app", "download our", "don't miss", "don’t miss", "trending:", "editor's note:", "editor’s note:",
	"the views expressed", "the opinions expressed", "additional reporting by", "reporting by", "writing by",
	"editing by", "(reporting by", "(writing by", "(editing by", "(additional reporting",
	"for immediate release", "media contact", "press contact", "contact:", "###", "-ends-", "– ends –",
	"here, ", "scroll through", "take a look at", "see the gallery", "see more photos",
}

// Sentences that end with these (lower-cased) are credits.
var boilerplateEnds = []string{"contributed to this report.", "contributed reporting.", "contributed to this story."}

// Sentences that are only one of these words are labels.
var boilerplateWords = setOf(`advertisement advertisements video videos photo photos gallery`)

// bylineWords may stand in a byline besides names: "By Jane Doe and Omar
// Said, Staff Writers"; "By Jane Doe for MailOnline".
var bylineWords = setOf(`and for of in the staff writer writers reporter reporters correspondent
correspondents editor editors contributor columnist special to at`)

// creditEnds are how photo and video credits end.
var creditWords = []string{"getty images", "getty", "afp", "reuters", "ap", "pa", "epa", "rex", "shutterstock",
	"alamy", "splash news", "instagram", "twitter", "facebook", "youtube"}

// captionMarks are words of photo captions: "Pictured: the", "(pictured
// left)".
var captionMarks = []string{"(pictured", "(left)", "(right)", "(centre)", "(center)", "(above)", "(below)",
	"(inset)", "(top)", "(bottom)", "(file photo)", "pictured left", "pictured right", "pictured above"}

// kickers are labels that newsrooms put before a lead.
var kickers = setOf(`exclusive breaking update updated revealed wanted watch pictured video live analysis
new`)

// openingMarks start a sentence at the top or the bottom of a body (lower
// case); noteMarks stand anywhere in one.
var openingMarks = []struct{ mark, label string }{
	{"letter to the editor", labelLetter}, {"letters to the editor", labelLetter}, {"to the editor:", labelLetter},
	{"dear editor", labelLetter}, {"for immediate release", labelRelease}, {"press release", labelRelease},
	{"news release", labelRelease}, {"media contact", labelRelease},
}

var noteMarks = []struct{ mark, label string }{
	{"the views expressed", labelOpinion}, {"the opinions expressed", labelOpinion},
	{"solely those of the author", labelOpinion}, {"this editorial", labelEditorial},
}

// A first line that is only one of these labels an opinion piece.
var firstLineLabels = map[string]string{"opinion": labelOpinion, "op-ed": labelOpinion, "commentary": labelOpinion,
	"column": labelOpinion, "perspective": labelOpinion, "viewpoint": labelOpinion, "editorial": labelEditorial,
	"our view": labelEditorial, "letter": labelLetter, "letters": labelLetter}

// Title and URL markers of opinion pieces.
var opinionTitles = []struct{ prefix, label string }{
	{"opinion:", labelOpinion}, {"opinion |", labelOpinion}, {"op-ed:", labelOpinion}, {"commentary:", labelOpinion},
	{"column:", labelOpinion}, {"editorial:", labelEditorial}, {"our view:", labelEditorial},
	{"letter:", labelLetter}, {"letters:", labelLetter}, {"letter to the editor", labelLetter},
}

var opinionPaths = []struct{ part, label string }{
	{"/opinion/", labelOpinion}, {"/opinions/", labelOpinion}, {"/commentary/", labelOpinion},
	{"/op-ed/", labelOpinion}, {"/oped/", labelOpinion}, {"/columnists/", labelOpinion}, {"/comment/", labelOpinion},
	{"/editorial/", labelEditorial}, {"/editorials/", labelEditorial}, {"/letters/", labelLetter},
	{"/letters-to-the-editor/", labelLetter},
}

// Briefings: whole statements, the author's voice, sure speakers (see
// statement.go and select.go).

// A paraphrase holding one of these reports someone's words itself.
var citingWords = []string{"said", "says", "told", "according"}

// Capitalized words ending so are adjectives of nation, party or faith
// more often than names (Japanese, Republican, British, Democratic).
var adjectiveEnds = []string{"ese", "ic", "can", "ish", "ian"}

// A single capitalized word ending so is a participle or adverb that
// opened a sentence (Speaking, Shortly), no name.
var notNameEnds = []string{"ly", "ing", "ed"}

// Words a statement cannot open with: a bullet that starts with one of them
// is a piece of a sentence ("Who accused …", "Is now 10 and").
var fragmentStarts = setOf(`who which whom whose against featuring including is are was were has have had of
by from than nor and but or to for with as that because while although though if unless whether be been being
do does did can could will would should may might must shall also then plus via versus like such whereas
per among amid him them us me said says told added asked`)

// firstPerson holds the words of a speaker talking about themselves.
var firstPerson = setOf(`i me my mine myself we us our ours ourselves i'm i’m i've i’ve i'd i’d i'll i’ll we're
we’re we've we’ve we'd we’d we'll we’ll let's let’s`)

// reportingWords are verbs and nouns that report what someone says, thinks,
// finds or wants: a sentence holding one, with no attribution found, may
// be someone's claim.
var reportingWords = setOf(`said say says saying told tell tells telling according added adds adding wrote write writes writing asked
ask asks found find finds show shows showed shown showing think thinks thought believe believes believed
believing argue argues argued arguing claim claims claimed claiming announce announces announced suggest
suggests suggested seem seems seemed appear appears appeared expect expects expected want wants wanted
hope hopes hoped plan plans planned know knows knew reported reports reportedly report stated states
noted notes cited cites described describes called calls insisted insists warned warns urged urges
dismissed dismisses pleaded vowed vows promised promises pledged pledges accused accuses criticized
criticised criticizes praised praises denied denies admitted admits acknowledged acknowledges recalled
recalls predicted predicts insist agree agreed agrees disagree disagreed feel feels worry worried fear
fears feared concluded concludes alleges revealed reveals indicated indicates replied responded asserted
contended maintained questioned complained conceded stressed emphasized emphasised ruled blamed poll
polls survey  analysis supposedly purportedly viewed deemed rumoured rumored learned learnt
views mentioned pointed expressed urging rated insisting warning
warn urge accuse deny admit acknowledge predict allege reveal vow pledge criticize criticise complain contend
blame hammered hammers
discuss discussed discusses noticed notices scolded scolds chided chides deplored deplores deploring aimed
hoping seeking sought assure assured prefer prefers preferred surprised dismayed angry incensed furious
outraged upset frustrated concerned alarmed pleased disappointed skeptical sceptical convinced confident
eager wary misgivings warnings doubts doubt doubted assumption expectations requested requests posted
recognize recognized recognizes consider considers considered regard regards regarded suspect suspects
suspected intend intends intended threatened threatens refused refuses declined declines rejected rejects
opposed opposes supported supports endorsed endorses favor favors favored condemned condemns slammed slams
blasted blasts attacked mocked ridiculed defended defends challenged challenges disputed disputes objected
protested lamented welcomed applauded hailed touted boasted proposed proposes recommended advised demanded
demands vowed pledged denounced denounces ruled overruled overturned upheld condemning criticizing
criticising praising denouncing attacking defending supporting opposing endorsing rejecting accusing blaming
questioning vowing pledging promising threatening refusing declining demanding lambasted lambasts
complimented compliments underscored underscores you your yours yourself yourselves`)

// reportingPhrases report a view or a verdict in more than one word: "seen
// as beneficial", "took aim at".
var reportingPhrases = []string{" seen as ", " viewed as ", "took aim", "take aim", "takes aim", "taking aim"}

// notSpeakerStarts open phrases that are not sources: "that 74 percent",
// "citing", "While Gordon Brown", "On Friday, attorney for …".
var notSpeakerStarts = setOf(`that this these those citing which who while when where after before on in at
yesterday today tonight earlier later and but if i've it's there here what how why whether alongside all
both either neither each every many much more most some several few such same other another any no none
during since despite although though as because if unless until upon with without within from into onto
over under about against between through to for of by than then also only just even still yet again so
speaking asked according having being shortly significantly early late minutes hours days weeks months
years`)

// speakerHeads are nouns that can head a speaker's description besides
// roles: groups, organizations, documents and data.
var speakerHeads = setOf(`officials official authorities police aides aide sources source people person
critics supporters opponents residents experts analysts economists researchers scientists observers
investigators prosecutors lawmakers legislators senators democrats republicans voters members leaders
officers staff spokesman spokeswoman spokesperson representatives diplomats insiders allies advisers
advisors campaign administration government ministry department agency company firm group organization
organisation union association council committee commission court judge jury panel board office team
party report reports poll polls survey surveys  statement statements letter email emails
memo filing filings lawsuit complaint document documents data figures records release analysis review
research paper audit investigation indictment ruling order affidavit transcript tweet post website blog
newspaper magazine network broadcaster channel station outlet agency paper journal website spokesmen
family families relatives friends neighbours neighbors witnesses victims parents students teachers workers
employees doctors nurses officials’ man woman men women boy girl father mother son daughter husband wife
owner organisers organizers charity campaigners activists protesters demonstrators fans media press
pundit pundits pair couple boxer fighter star actor actress singer model mum mom dad grandmother grandfather
pensioner teenager teen youngster patient patients customer customers passenger passengers tourist
tourists visitor visitors shopper shoppers driver drivers rider jockey trainer boss chef landlord tenant
friend colleague colleagues neighbour neighbor relative survey`)

// claimedThings are what "claimed" takes when it is no speech: money,
// benefits, lives, a deed or a prize ("claimed responsibility for the
// attack", "claimed the title").
var claimedThings = setOf(`expenses expense benefits benefit compensation damages refund refunds allowance
allowances money cash payment payments pension pensions rebate rebates mileage overtime bonus bonuses lives
life costs fees grants grant subsidies subsidy credits insurance asylum responsibility credit title titles
crown trophy medal medals prize championship`)

// innerCues are verbs, beside the reporting verbs, by which a speaker
// tells what someone else said ("she begged him: ...").
var innerCues = setOf(`begged pleaded screamed shouted yelled whispered texted messaged sobbed`)

// familyNouns tell who a person is to someone else named.
var familyNouns = setOf(`father mother husband wife son daughter brother sister uncle aunt grandfather
grandmother grandson granddaughter nephew niece cousin stepfather stepmother stepson stepdaughter dad mum mom
widow widower fiance fiancee partner boyfriend girlfriend parents parent`)

// numberedNouns are nouns that a Roman numeral numbers.
var numberedNouns = setOf(`type phase stage level grade class category article title chapter part section
schedule world`)

// usStates are places that stand alone as a capitalized word and often
// open a sentence or a dateline.
var usStates = setOf(`alabama alaska arizona arkansas california colorado connecticut delaware florida
georgia hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan
minnesota mississippi missouri montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas
utah vermont virginia washington wisconsin wyoming america britain england scotland wales ireland europe
africa asia london paris berlin moscow beijing tokyo jerusalem cleveland chicago`)

// statePlaces are the US states of two words and the abbreviations news
// style gives the states, lower-cased: the second part of "Columbia,
// South Carolina", "Portsmouth, N.H." (see placeRunEnd).
var statePlaces = setOf(`new_york new_jersey new_mexico new_hampshire north_carolina south_carolina
north_dakota south_dakota west_virginia rhode_island ala. ariz. ark. calif. colo. conn. del. fla. ga. ill.
ind. kan. ky. la. md. mass. mich. minn. miss. mo. mont. neb. nev. n.h. n.j. n.m. n.y. n.c. n.d. okla.
ore. pa. r.i. s.c. s.d. tenn. va. vt. wash. w.va. wis. wyo. d.c.`)

// placeHeads end the names of places, which never speak: "Mill Street",
// "Hartley Road", "Crane Bridge".
var placeHeads = setOf(`street road avenue lane drive boulevard square bridge park station airport beach river
lake hill hills island islands valley bay highway motorway crescent terrace estate harbour harbor canal forest`)

// placeLeads open the names of places: "Mount Everest", "Lake Tahoe".
var placeLeads = setOf(`mount mt. mt lake cape fort port`)

// leadAdverbs stand before "after", "when", "before" at the start of an
// introductory phrase: "Shortly after", "Back when", "Hours before".
var leadAdverbs = setOf(`shortly soon back long right just hours minutes days weeks months years moments
immediately`)

// joiners open a sentence that continues the one before.
var joiners = setOf(`And But Or So Yet Still Plus`)

// leadPronouns open sentences whose subject is somewhere else.
var leadPronouns = setOf(`he she it they we i you his her its their this these those that there such`)

// Headlines (see headline.go).

// Where a long headline may be cut: before a conjunction or relative
// pronoun (a clause), else before a preposition (a phrase; not "to",
// which may start an infinitive: "believed to be").
var clauseBreaks = setOf(`which who whose where while whereas although though because after before as since
when but and amid despite following until so`)

var phraseBreaks = setOf(`in on at for with from during over near by into across through`)

// relativeOpeners open a relative clause set off by commas ("The bridge,
// which carries …, will …").
var relativeOpeners = setOf(`which who whose whom where`)

// proposalNouns are documents that would do things: what "the bill
// would" do is what the bill says.
var proposalNouns = setOf(`bill law measure legislation amendment plan proposal policy rule rules order
deal agreement treaty budget resolution initiative ordinance regulation regulations`)

// modalWords say what would be.
var modalWords = setOf(`would will could might may can`)

// A cut headline does not end on these.
var danglingWords = setOf(`a an the of to in on at by for from with and or but as that its their through into
over`)

// tailCues are the verbs of an attribution that follows what is said.
var tailCues = setOf(`said says claimed claims told tells reported reports revealed reveals warned warns
found finds suggested suggests learned learnt added adds insisted insists admitted admits announced
confirmed believes believe say claim report reveal boasted fumed raged`)

// Bullets as shown (see brief.go).

// A speaker holding one of these is anonymous already: no "anonymous" is
// put before it.
var anonymityWords = []string{"anonymous", "unnamed", "source", "familiar", "people", "person", "insider"}

// boundWords bind to the word after them.
var boundWords = setOf(`the a an his her its their our my your this these those of in on at to for with by
from into onto about`)

// pictureWords are what a caption puts after a name ("James Boase,
// pictured"): not a role.
var pictureWords = setOf(`pictured left right above below centre center inset top bottom`)

// union returns a set of the words of all the sets.
func union(sets ...map[string]bool) map[string]bool {
	m := map[string]bool{}
	for _, set := range sets {
		for w := range set {
			m[w] = true
		}
	}
	return m
}

func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// hasFold looks w up in a set of lower-case words, folding ASCII capitals,
// without allocating.
func hasFold(set map[string]bool, w string) bool {
	var buf [8]byte
	if len(w) > len(buf) {
		return false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return set[string(buf[:len(w)])]
}

// Quotation marks.

// Small words a title leaves in lower case: "State of the Union".
var titleSmallWords = setOf(`a an the and or but of in on at to for with by from as vs`)

// Words written with a leading apostrophe, which is then no quotation
// mark: 'em, 'til, 'cause.
var elisions = setOf(`em til tis twas cause cos bout round nuff ol neath`)

// Words of the clause cut (see clauseEnd).

// timeCauseOpeners open a temporal or causal clause after a comma; a main
// clause may end before them.
var timeCauseOpeners = setOf(`after before when while as because since`)

// addOnParticiples open a participial add-on after a comma.
var addOnParticiples = setOf(`saying adding including leaving`)

// subordinators open a clause the cut may not end in.
var subordinators = setOf(`when while whereas although though because since if unless until whether after before
once provided`)

// whWords open an embedded question or free relative: "to explain why she".
var whWords = setOf(`why how what whatever whoever whichever whether`)

// conditionWords, anywhere in what a cut would drop, forbid the cut.
var conditionWords = setOf(`if unless provided providing except until but however although though otherwise
whereas yet`)

// hangingWords do not end a clause ("on what he", "his", "than").
var hangingWords = setOf(`this these those his her my our your than not nor so because although though
whether very also such every each both either neither no some any more most less about`)

// subjectPronouns may start a clause as its subject.
var subjectPronouns = setOf(`he she they we i it you there`)

// subjectDeterminers start a noun phrase that may be a subject.
var subjectDeterminers = setOf(`the a an his her their its our my your this these those that`)

// clauseAdverbs may stand between a subject and its verb: "they later said".
var clauseAdverbs = setOf(`also later then still never now just already often soon only even`)

// finiteForms are auxiliaries, modals and common irregular finite verbs.
var finiteForms = setOf(`is are was were am has have had will would could can should may might must shall do does
did isn't aren't wasn't weren't hasn't haven't hadn't won't wouldn't couldn't can't cannot shouldn't doesn't
don't didn't isn’t aren’t wasn’t weren’t hasn’t haven’t hadn’t won’t wouldn’t couldn’t can’t shouldn’t doesn’t
don’t didn’t got took made went came gave found left became began ran saw won lost paid held kept sent spent
thought brought bought felt fell knew met led stood wrote broke shot chose drove rose grew threw flew sold built
caught fought taught told said says means gives tries wants makes takes goes seems remains thinks knows expects
gets comes sees helps keeps continues believes`)

// thingAcronyms are acronyms of things that never speak: substances,
// tests, devices, measures (see thingAcronym).
var thingAcronyms = setOf(`dna rna hiv aids mri ct cctv gps ivf adhd ptsd ocd gdp cpr lsd mdma thc cbd dvd cd
suv atm pin iq bmi ecg eeg icu std sti usb pdf sms url`)

// countries are places that a caption may run into the name after them
// ("police officers in their native Sweden Eric Jansberger"): never the
// first word of a person's full name when the rest is a full name itself.
var countries = setOf(`afghanistan albania algeria argentina armenia australia austria azerbaijan bahrain
bangladesh belarus belgium bolivia bosnia brazil bulgaria cambodia cameroon canada chile china colombia
croatia cuba cyprus czechia denmark ecuador egypt estonia ethiopia finland france germany ghana greece
hungary iceland india indonesia iran iraq israel italy japan jordan kazakhstan kenya korea kosovo kuwait
latvia lebanon libya lithuania luxembourg malaysia mali malta mexico moldova mongolia montenegro morocco
nepal netherlands nigeria norway pakistan palestine panama peru philippines poland portugal qatar romania
russia rwanda serbia singapore slovakia slovenia somalia spain sudan sweden switzerland syria taiwan
tanzania thailand tunisia turkey uganda ukraine uruguay venezuela vietnam yemen zambia zimbabwe`)

// nationalities are adjectives of nationality that copy runs into the full
// name after them ("beaten by American Lauren Davis"): a description of the
// person, not a first name.
var nationalities = setOf(`american british english scottish welsh irish french german italian spanish
portuguese dutch belgian swiss austrian swedish norwegian danish finnish icelandic polish czech russian
ukrainian greek turkish israeli iranian iraqi syrian egyptian saudi indian pakistani chinese japanese korean
vietnamese thai australian canadian mexican brazilian argentine argentinian colombian chilean peruvian
nigerian kenyan ghanaian serbian croatian romanian hungarian bulgarian somali afghan sudanese ethiopian
eritrean libyan yemeni lebanese jordanian palestinian kurdish cuban venezuelan filipino indonesian malaysian
bangladeshi nepalese tibetan mongolian moroccan algerian tunisian qatari emirati kuwaiti ukrainian georgian
armenian lithuanian latvian estonian slovak slovenian bosnian albanian macedonian`)

// Word lists of fragment.go.

// endHanging are words a statement does not end on.
var endHanging = setOf(`and or but nor because if although whether unless than a an the its their our my
your of with from as`)

// pluralNouns are plurals in no -s, and "them" in "nine in ten of them".
var pluralNouns = setOf(`them people men women children police staff`)

// openingAdverbs open a sentence before its subject: "Meanwhile, …".
var openingAdverbs = setOf(`meanwhile however instead still now today yesterday then right whatever despite also
overall`)

// Verbs whose present and past are one form, not in the past-form lists.
var sameFormVerbs = setOf(`cost costs hurt spread quit bet read`)

// phrasePrepositions open a phrase whose noun may end in -s.
var phrasePrepositions = setOf(`of in on at by for from with to into through over about under between against among`)

// openingPrepositions open a phrase before a sentence's subject.
var openingPrepositions = setOf(`in on at by for from with through into over after during under`)

// Word lists of statement.go.

// runInOpeners open a sentence and, written with a capital, do not stand
// inside one.
var runInOpeners = setOf(`The But However He She They It We In On At After When Meanwhile Yesterday Today This These Now`)

// Words that a statement may open with before "how": "Here's how …",
// "This is how …".
var howOpeners = setOf(`here here's here’s this that that's that’s which no exactly just look see and but`)

// Past forms that end in no "-ed".
var commonPasts = setOf(`came went said got knew saw told thought found became began brought bought felt kept
left meant sat stood taught took wrote spoke broke chose drove fell flew forgot gave grew hid rode rose sang
shook slept sold sent shot shut sank struck swore threw understood woke wore won`)

// Word lists of speakerform.go.

// Parties and movements: capitalised as names wherever they stand.
var partyWords = setOf(`republican republicans democratic democrat democrats labour tory tories conservative
conservatives liberal liberals libertarian independent green socialist unionist nationalist`)

// Short lists asked of a token at one place or two of the extractor, kept
// here so that a token's membership is looked up once (lexflags.go)
// rather than compared word by word each time the question is asked.
var (
	articles = setOf(`the a an`)
	// Conjunctions that open a clause before a name: "While Gordon Brown ...".
	nameSubordinators = setOf(`when while if although though because since unless whereas until after before`)
	relatives         = setOf(`who which whose that`)
	// Conjunctions and adverbs that open a sentence before its clause.
	leadConjunctions = setOf(`but and yet so still however`)
	// Prepositions before a name that make it a place: "in Aleppo".
	placeBefore = setOf(`in at near to from across outside inside around into throughout toward towards off
through over under`)
	// Prepositions after a verb that make the clause the claim: "called for talks".
	objectPreps = setOf(`to for on about with of by as in at from into up out off over after before against
around through during without toward towards`)
	// Words that may open a channel or time phrase after the cue: "in a statement", "last week".
	channelLeads = setOf(`in on at during via through to last this earlier late early`)
	// The words of a time phrase other than times and numbers: "the early 1990s".
	timePhraseWords = setOf(`the a an this last next early late of`)
)
