/** The closed word classes the attribution rules read; all lower case. */

const words = (list: string) => new Set(list.split(/\s+/).filter(Boolean));

/** Words naming what someone is (a title or role); "who is X" answers and speakers' descriptions both use them. */
export const ROLE_WORDS = words(`president minister secretary spokesman spokeswoman spokesperson envoy adviser advisor aide chief director chairman
  chairwoman chair head boss manager coach leader governor commissioner analyst economist strategist stategist presenter
  actor actress singer star founder executive officer editor correspondent reporter mother father son daughter wife
  husband brother sister striker goalkeeper keeper captain champion model artist designer member chancellor mp speaker
  general judge lawyer professor doctor dr mayor official officer pundit dancer rapper musician producer writer author
  novelist comedian host player footballer winger midfielder defender jockey trainer ambassador premier king queen prince
  princess duke baroness lord lady sir owner partner chef investor banker trader prosecutor detective inspector
  superintendent commander marshal rep representative senator congressman deputy vice`);

/** More people's descriptions ("England prop Phil Vickery", "a clergyman"). */
export const PERSON_DESCRIPTIONS = words(`prop sprinter athlete bishop clergyman vicar priest researcher scientist expert campaigner activist figure user
  customer source principal coordinator`);

/** Bodies' descriptions ("Russian newspaper Vedomosti", "market research firm NPD Group"). */
export const BODY_DESCRIPTIONS = words(`newspaper paper magazine agency broadcaster website firm company group bank lender carrier airline insurer retailer
  regulator watchdog union court tribunal committee institute`);

export const SPEAKER_ROLES = new Set([...ROLE_WORDS, ...PERSON_DESCRIPTIONS, ...BODY_DESCRIPTIONS]);

/** Titles dropped from a name: "Dr Alan Greenspan" is Alan Greenspan. */
export const TITLES = words("mr mrs ms miss dr prof professor sir dame lord lady rt rev reverend fr father st president");

/**
 * Verbs that put words or a claim in someone's mouth. "signalled optimism" or "declined to comment"
 * carry no claim of the speaker's, so they are not here: such a sentence is the outlet's reporting.
 */
export const SPEECH_VERBS = words(`say says said tell tells told add adds added warn warns warned stress stresses stressed insist insists insisted
  argue argues argued claim claims claimed accuse accuses accused urge urges urged deny denies denied reject rejects
  rejected confirm confirms confirmed admit admits admitted explain explains explained announce announces announced
  describe describes described hail hails hailed suggest suggests suggested predict predicts predicted forecast forecasts
  estimate estimates estimated report reports reported reveal reveals revealed state states stated note notes noted write writes wrote
  ask asks asked reply replies replied promise promises promised pledge pledges pledged vow vows vowed threaten threatens
  threatened allege alleges alleged maintain maintains maintained acknowledge acknowledges acknowledged concede concedes conceded
  declare declares declared comment comments commented complain complains complained call calls called believe believes
  believed think thinks thought expect expects expected fear fears feared hope hopes hoped reaffirm reaffirms reaffirmed
  reiterate reiterates reiterated caution cautions cautioned criticise criticises criticised criticize criticizes criticized
  continue continues continued disclose discloses disclosed`);

/** Verbs that give someone a finding only with a that-clause: "The NAO found that ...", not "data showed a rise". */
export const THAT_VERBS = words("find finds found show shows showed indicate indicates indicated conclude concludes concluded rule rules ruled");

/** Speech verbs that attribute only right beside a quotation or a colon ("he continued: ..."): elsewhere they mean something else. */
export const QUOTE_ONLY_VERBS = words("continue continues continued ask asks asked write writes wrote note notes noted state states stated");

/** "..., saying ...": the speaker is the subject of the sentence. */
export const SPEECH_PARTICIPLES = words("saying adding warning claiming arguing insisting stressing reaffirming telling accusing urging");

/** Words between a speaker and the verb that change nothing: "Peskov later said", "Putin has accused". */
export const AUXILIARIES = words(`has have had also later previously earlier then recently once again repeatedly publicly privately reportedly
  yesterday today now already separately meanwhile still further himself herself
  would will could can may might should must only`);

/** A speech verb after these is passive ("is said to"), not someone speaking. */
export const PASSIVE = words("is was were are be been being");

export const DETERMINERS = words("the a an another his her its their one two some several many our this these");

/** Plain adjectives of a description ("a senior Russian aide", "another senior economic adviser"). */
export const ADJECTIVES = words(`senior former top chief foreign policy economic government state official leading local independent
  special deputy acting retired veteran unnamed anonymous well-known prominent market research legal news political`);

/** Unnamed sources that speak without a determiner ("Analysts said", "Reports said"). */
export const PLURAL_SOURCES = words(`analysts officials experts critics economists reports sources campaigners police investigators residents witnesses
  observers diplomats ministers mps protesters traders dealers insiders aides executives researchers scientists doctors
  lawyers prosecutors unions officers activists supporters opponents organisers fans`);

/** Words that make a capitalised name a body, not a person ("Downing Street", "NPD Group"). */
export const BODY_WORDS = words(`street house office party group institute code government bank court union council ministry department
  commission committee agency authority association federation league club company corporation inc ltd plc news times
  post journal university college school church kremlin parliament assembly executive board fund tribunal police army
  navy eu un nato fbi cia iaaf`);

export const PRONOUNS = words("he she they it");

/** Words that can open a sentence in capitals without being part of a name ("Briefing Trump by phone"). */
export const OPENERS = words(`the a an but and so yet still however in on at after before while when as if since for from with without by of to
  briefing speaking writing asked meanwhile instead despite following under over within last this that these those there
  here it he she they we i his her their its our`);
