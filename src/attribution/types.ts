/**
 * Whose words a sentence is: the outlet's own reporting, or words it attributes to a named person
 * or body ("Peskov said...", "according to the Kremlin", a quotation and whoever speaks it).
 * `speaker` is the fullest name the article gives ("Dmitry Peskov" for a later "Peskov", without
 * the title "Kremlin spokesman"), or the description it gives of an unnamed source ("a senior
 * Russian aide", "analysts").
 */
export type Attribution = { kind: "reporting" } | { kind: "attributed"; speaker: string };
