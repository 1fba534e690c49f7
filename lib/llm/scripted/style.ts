// How the scripted model's answer is dressed, read from the prompt's instructions: a sign-off, a language,
// a named tone, a format (JSON, a bullet list) and a sentence limit. What it recognises is listed in
// docs/evaluation.md ("What the built-in model follows"); anything else it ignores, as a careless model
// would. Pure and deterministic: two versions that differ in one of these instructions answer differently.
import { sentences } from "./text-tools";

export type Language = "en" | "fr" | "es" | "de" | "pt" | "it";
export type Tone = "formal" | "friendly" | "apologetic" | "enthusiastic";

export type Style = {
  signOff?: string;
  language: Language;
  tone?: Tone;
  json: boolean;
  bulletList: boolean;
  maxSentences?: number;
};

const LANGUAGES: Record<string, Language> = {
  french: "fr",
  spanish: "es",
  german: "de",
  portuguese: "pt",
  italian: "it",
  english: "en",
};

const TONES: Record<string, Tone> = {
  formal: "formal",
  friendly: "friendly",
  casual: "friendly",
  apologetic: "apologetic",
  enthusiastic: "enthusiastic",
  cheerful: "enthusiastic",
};

/** The words the answer is built from, in each language the model "speaks". */
export type Phrases = {
  greeting: (name?: string) => string;
  notCovered: string;
  nextStep: string;
  callback: string;
  escalate: string;
  regards: string;
  asked: string;
};

export const PHRASES: Record<Language, Phrases> = {
  en: {
    greeting: (n) => (n ? `Hi ${n}, thanks for reaching out.` : "Thanks for reaching out."),
    notCovered: "I am sorry, but our knowledge base does not cover this question.",
    nextStep: "Next step: reply to this email if it is not resolved and I will escalate it.",
    callback: "As a VIP you can book a direct callback; we will call you today.",
    escalate: "I will escalate it to the right team.",
    regards: "Best regards,\nThe support team",
    asked: "You asked",
  },
  fr: {
    greeting: (n) => (n ? `Bonjour ${n}, merci de nous avoir écrit.` : "Merci de nous avoir écrit."),
    notCovered: "Je suis désolé, notre base de connaissances ne couvre pas cette question.",
    nextStep: "Prochaine étape : répondez à cet e-mail si le problème persiste et je le transmettrai.",
    callback: "En tant que client VIP, vous pouvez réserver un rappel direct ; nous vous appellerons aujourd'hui.",
    escalate: "Je vais transmettre votre demande à l'équipe concernée.",
    regards: "Cordialement,\nL'équipe support",
    asked: "Vous avez demandé",
  },
  es: {
    greeting: (n) => (n ? `Hola ${n}, gracias por escribirnos.` : "Gracias por escribirnos."),
    notCovered: "Lo siento, nuestra base de conocimiento no cubre esta pregunta.",
    nextStep: "Siguiente paso: responda a este correo si no se resuelve y lo escalaré.",
    callback: "Como cliente VIP puede reservar una llamada directa; le llamaremos hoy.",
    escalate: "Lo escalaré al equipo adecuado.",
    regards: "Saludos cordiales,\nEl equipo de soporte",
    asked: "Usted preguntó",
  },
  de: {
    greeting: (n) => (n ? `Hallo ${n}, danke für Ihre Nachricht.` : "Danke für Ihre Nachricht."),
    notCovered: "Leider deckt unsere Wissensdatenbank diese Frage nicht ab.",
    nextStep: "Nächster Schritt: Antworten Sie auf diese E-Mail, falls es nicht gelöst ist, dann leite ich es weiter.",
    callback: "Als VIP-Kunde können Sie einen direkten Rückruf buchen; wir rufen Sie heute an.",
    escalate: "Ich leite es an das zuständige Team weiter.",
    regards: "Mit freundlichen Grüßen\nIhr Support-Team",
    asked: "Sie fragten",
  },
  pt: {
    greeting: (n) => (n ? `Olá ${n}, obrigado pelo contacto.` : "Obrigado pelo contacto."),
    notCovered: "Lamento, mas a nossa base de conhecimento não cobre esta questão.",
    nextStep: "Próximo passo: responda a este e-mail se não ficar resolvido e eu encaminho o caso.",
    callback: "Como cliente VIP pode marcar uma chamada direta; ligamos-lhe hoje.",
    escalate: "Vou encaminhar o caso para a equipa certa.",
    regards: "Com os melhores cumprimentos,\nA equipa de apoio",
    asked: "Perguntou",
  },
  it: {
    greeting: (n) => (n ? `Ciao ${n}, grazie per averci scritto.` : "Grazie per averci scritto."),
    notCovered: "Mi dispiace, la nostra knowledge base non copre questa domanda.",
    nextStep: "Prossimo passo: risponda a questa e-mail se il problema non è risolto e lo inoltrerò.",
    callback: "Come cliente VIP può prenotare una richiamata diretta; la chiameremo oggi.",
    escalate: "Inoltrerò la richiesta al team giusto.",
    regards: "Cordiali saluti,\nIl team di supporto",
    asked: "Ha chiesto",
  },
};

const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5 };

/** The sentence of `text` around `index` (for reading a sign-off's own words). */
function sentenceAt(text: string, index: number): string {
  const from = Math.max(text.lastIndexOf("\n", index), text.lastIndexOf(". ", index)) + 1;
  const rest = text.slice(index);
  const end = /\n|\.(?:\s|$)/.exec(rest);
  return text.slice(from, end ? index + end.index : undefined).trim();
}

/** The sign-off the prompt asks for: its quoted words, the words after "as"/"with", or a plain one. */
function signOffOf(instructions: string, language: Language): string | undefined {
  if (
    /\b(?:no|without(?: an?)?|never|don't|do not)\s+(?:add\s+)?(?:an?\s+)?sign(?:[- ]?off|ature| off)\b/i.test(
      instructions,
    )
  )
    return undefined;
  const m = /\bsign(?:[- ]?off|ature|\s+off|\s+(?:the|each|every)\s+(?:reply|answer|message)|\s+as)\b/i.exec(
    instructions,
  );
  if (!m) return undefined;
  const sentence = sentenceAt(instructions, m.index);
  const quoted = /["“'‘]([^"”'’\n]{2,80})["”'’]/.exec(sentence)?.[1];
  if (quoted) return quoted.trim().replace(/\\n/g, "\n");
  const after = /\b(?:as|with|:)\s+(?!a\b|an\b|the reply\b)([^.\n]{2,60})$/i.exec(sentence)?.[1];
  return after?.trim() ?? PHRASES[language].regards;
}

/** The dressing the prompt asks for (see the file's comment). */
export function styleOf(instructions: string): Style {
  const lang =
    /\b(?:reply|answer|respond|write|speak)(?:\s+\w+){0,3}?\s+in\s+(french|spanish|german|portuguese|italian|english)\b/i.exec(
      instructions,
    );
  const language = lang ? LANGUAGES[lang[1]!.toLowerCase()]! : "en";
  // A tone named after "not", "never", "no" or "avoid" (within a few words) is not asked for.
  const tone = [...instructions.matchAll(/\b(formal|friendly|casual|apologetic|enthusiastic|cheerful)\b/gi)].find(
    (m) => !/\b(?:not|never|no|avoid|don't)\b(?:\s+\w+){0,2}\s*$/i.test(instructions.slice(0, m.index)),
  );
  const sentencesLimit =
    /\b(?:in|at most|no more than|fewer than|under|max(?:imum)?(?: of)?)\s+(\d+|one|two|three|four|five)\s+sentences?\b/i.exec(
      instructions,
    );
  const signOff = signOffOf(instructions, language);
  return {
    language,
    ...(tone && { tone: TONES[tone[1]!.toLowerCase()]! }),
    ...(signOff && { signOff }),
    json: /\b(?:as|in|with|return|valid)\s+(?:an?\s+)?JSON\b|\bJSON object\b/i.test(instructions),
    bulletList: /\b(?:bullet(?:ed)?|bullet-point)\s+list\b|\bas bullets\b/i.test(instructions),
    ...(sentencesLimit && {
      maxSentences: Number(sentencesLimit[1]) || NUMBER_WORDS[sentencesLimit[1]!.toLowerCase()]!,
    }),
  };
}

/** The greeting in the asked tone (English only: another language keeps its own greeting). */
export function greetingFor(style: Style, name?: string): string {
  const p = PHRASES[style.language];
  if (style.language !== "en" || !style.tone) return p.greeting(name);
  switch (style.tone) {
    case "formal":
      return name ? `Dear ${name}, thank you for contacting us.` : "Dear customer, thank you for contacting us.";
    case "friendly":
      return name ? `Hey ${name}! Great to hear from you.` : "Hey there! Great to hear from you.";
    case "apologetic":
      return `${p.greeting(name)} I am truly sorry for the trouble this has caused.`;
    case "enthusiastic":
      return name ? `Hi ${name}! Thanks so much for reaching out!` : "Thanks so much for reaching out!";
  }
}

/**
 * The finished answer: `body`, then `ending` (a next step, a callback), cut to the sentence limit, as a
 * bullet list when asked, the sign-off last, and the whole wrapped as JSON when asked.
 */
export function dress(body: string, ending: string, style: Style): string {
  let main = ending ? `${body} ${ending}` : body;
  if (style.maxSentences) main = sentences(main).slice(0, style.maxSentences).join(" ");
  if (style.bulletList) {
    const [first, ...rest] = sentences(main);
    main = [first, ...rest.map((s) => `- ${s}`)].join("\n");
  }
  const text = style.signOff ? `${main}\n\n${style.signOff}` : main;
  return style.json ? JSON.stringify({ reply: text }, null, 2) : text;
}
