import { normalizeForMatching } from './normalize';

/**
 * Prompt-injection heuristics for untrusted content (emails, web pages, tool results). They flag,
 * never rewrite: a person or the workflow decides what a flag means. Text is normalised first
 * (normalize.ts: zero-width characters, homoglyphs, accents), so patterns are written in plain
 * Latin without accents. English, French, German and Spanish. Heuristics miss things: workflows
 * must not rely on them alone (the agent treats any run that read untrusted content as tainted).
 */
export interface InjectionMatch {
  readonly rule: string;
  readonly excerpt: string;
}

const rules: readonly { rule: string; patterns: readonly RegExp[] }[] = [
  {
    rule: 'ignore-instructions',
    patterns: [
      /\b(?:ignore|disregard|forget|override|bypass)\b[^.\n]{0,40}?\b(?:previous|prior|above|earlier|preceding|all|any|your|the|system)\b[^.\n]{0,20}?\b(?:instructions?|prompts?|rules|directions|guidelines|context)\b/i,
      // "disregard what you were told", "forget everything above"
      /\b(?:ignore|disregard|forget|override)\b[^.\n]{0,20}?\b(?:what|everything|anything|all)\b[^.\n]{0,20}?\b(?:you (?:were|have been|'ve been|got) (?:told|given|instructed|asked)|(?:said|written|stated) (?:above|before|earlier)|above|before this|so far)\b/i,
      // fr: "ignorez toutes les instructions precedentes", "oublie ce qu'on t'a dit"
      /\b(?:ignor(?:e|es|ez|er)|oubli(?:e|es|ez|er)|ne (?:tiens|tenez) pas compte|fais abstraction|faites abstraction)\b[^.\n]{0,40}?\b(?:instructions?|consignes?|regles|directives|ce qu.on (?:t|vous).a dit|ce qu.(?:on|il) (?:t|vous).a (?:ete )?(?:dit|demande)|tout ce qui precede|tout ce qui est au-dessus)\b/i,
      // de: "ignoriere alle vorherigen Anweisungen", "vergiss, was dir gesagt wurde"
      /\b(?:ignorier\w*|vergiss\w*|vergessen sie|missacht\w*)\b[^.\n]{0,40}?\b(?:anweisung\w*|instruktion\w*|regeln|vorgaben|befehle|was (?:dir|ihnen|man dir) gesagt wurde|alles (?:bisherige|vorherige|obige|davor))\b/i,
      // es: "ignora todas las instrucciones anteriores", "olvida lo que te dijeron"
      /\b(?:ignor(?:a|e|en|ar)|olvid(?:a|e|en|ar)|haz caso omiso|no hagas caso|omite)\b[^.\n]{0,40}?\b(?:instrucciones|indicaciones|reglas|normas|todo lo anterior|lo que te (?:dijeron|han dicho|dije|dijimos))\b/i,
    ],
  },
  {
    rule: 'role-override',
    patterns: [
      /\b(?:you are now|you're now|you are no longer|from now on,? you (?:are|will)|pretend (?:to be|you are)|act as (?:an? |the )?(?:unrestricted|unfiltered|jailbroken|evil|different)|your new (?:role|instructions|task) (?:is|are))\b/i,
      /\b(?:tu es|vous etes) (?:maintenant|desormais|a present)\b|\b(?:a partir de maintenant|desormais),? (?:tu es|vous etes|tu dois|vous devez)\b/i,
      /\b(?:du bist|sie sind) (?:jetzt|nun|ab jetzt|ab sofort|von nun an)\b|\b(?:ab jetzt|ab sofort|von nun an) bist du\b/i,
      /\b(?:ahora eres|ahora sos|a partir de ahora,? (?:eres|seras|actuaras|debes)|desde ahora eres)\b/i,
    ],
  },
  {
    rule: 'prompt-extraction',
    patterns: [
      /\b(?:reveal|show|print|repeat|output|leak|tell me|display|dump|copy|paste|quote|share|give me|write out|translate|summari[sz]e)\b[^.\n]{0,30}?\b(?:system (?:prompt|message)|hidden (?:prompt|instructions)|initial (?:prompt|instructions)|developer (?:prompt|message)|your (?:instructions|prompt|rules)|(?:everything|the text|the instructions) above)\b/i,
      /\bwhat (?:is|are|were) your (?:system prompt|instructions|initial instructions|rules)\b/i,
      /\b(?:revel\w*|montr\w*|affich\w*|donn\w*|repet\w*|imprim\w*|copi\w*)\b[^.\n]{0,30}?\b(?:prompt (?:systeme|system|initial)|message systeme|instructions? (?:systeme|initiales|cachees)|tes instructions|vos instructions)\b/i,
      /\b(?:zeig\w*|verrat\w*|gib\w*|wiederhol\w*|nenn\w*|ausgeben|kopier\w*)\b[^.\n]{0,30}?\b(?:system-?prompt\w*|systemanweisung\w*|systemnachricht\w*|deine (?:anweisungen|instruktionen|regeln)|ihre anweisungen)\b/i,
      /\b(?:revela\w*|muestra\w*|dime|imprime|repite|ensena\w*|copia\w*)\b[^.\n]{0,30}?\b(?:(?:prompt|mensaje) del sistema|instrucciones (?:del sistema|iniciales|ocultas)|tus instrucciones)\b/i,
    ],
  },
  {
    rule: 'approval-bypass',
    patterns: [
      // "I authorise you to skip approval", "we hereby allow you to bypass the review"
      /\b(?:i|we)\b[^.\n]{0,15}?\b(?:authori[sz]e|allow|permit|instruct|tell|order|give you permission)\w*\b[^.\n]{0,10}?\b(?:you )?to (?:skip|bypass|ignore|override|avoid|circumvent|disable|go around|proceed without)\b/i,
      /\b(?:you (?:can|may|should|must|are allowed to|have permission to)|no need to|don't|do not|without)\s+(?:skip(?:ping)?|bypass(?:ing)?|circumvent(?:ing)?|ask(?:ing)? for|wait(?:ing)? for|need(?:ing)?|request(?:ing)?)\b[^.\n]{0,15}?\b(?:approvals?|confirmation|human review|sign-?off)\b/i,
      /\b(?:je|nous)\s+(?:t'|te |vous )(?:autoris\w*|permet\w*)\s+(?:a|de)\s+(?:ignorer|contourner|sauter|passer|eviter|outrepasser|te passer|vous passer)\b/i,
      /\b(?:ich|wir)\s+(?:erlaube|erlauben|autorisiere|autorisieren|ermachtige|ermachtigen|gestatte|gestatten)\s+(?:dir|dich|ihnen|euch|sie)\b[^.\n]{0,50}?\b(?:zu )?(?:uberspringen|umgehen|ignorieren|auslassen|ubergehen)\b/i,
      /\b(?:te|le|os|les)\s+(?:autorizo|autorizamos|permito|permitimos|doy permiso)\s+(?:a|para)\s+(?:saltar\w*|omitir|ignorar|evitar|eludir|no pedir)\b/i,
    ],
  },
  {
    rule: 'fake-role-marker',
    patterns: [
      /<\|im_start\|>|<\|(?:system|assistant)\|>|\[\/?INST\]|<\/?system>|^\s*(?:#{1,3}\s*)?(?:system|assistant)\s*(?:prompt)?\s*:/im,
    ],
  },
  { rule: 'jailbreak', patterns: [/\b(?:do anything now|developer mode|jailbreak(?:ed)?|DAN mode)\b/i] },
  {
    rule: 'exfiltration',
    patterns: [
      /\b(?:send|forward|post|upload|email|exfiltrate)\b[^.\n]{0,40}?\b(?:api[ _-]?keys?|passwords?|credentials|secrets?|tokens?|private keys?)\b/i,
    ],
  },
];

/** Every rule that matches `text` (normalised), with a short excerpt of the normalised text around the first hit. */
export function detectInjection(text: string): InjectionMatch[] {
  const normalized = normalizeForMatching(text);
  const found: InjectionMatch[] = [];
  for (const { rule, patterns } of rules) {
    const match = patterns.map((pattern) => pattern.exec(normalized)).find((m) => m !== null);
    if (!match) continue;
    const start = Math.max(0, match.index - 20);
    const end = Math.min(normalized.length, match.index + match[0].length + 20);
    found.push({ rule, excerpt: normalized.slice(start, end).replace(/\s+/g, ' ').trim() });
  }
  return found;
}
