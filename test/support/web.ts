/** Articles for the staff web pages' tests: one story with no URL of its own, and one full of markup that must stay text. */
export const HARBOUR = {
  id: "harbour-lighthouse",
  title: "Harbour council approves the lighthouse budget",
  outlet: "Port Ellery Post",
  published: "2025-11-04",
  paragraphs: [
    "The Port Ellery harbour council voted on Tuesday to approve a budget of 4.2 million euros for restoring the old lighthouse.",
    "Councillor Marta Quental said the restoration would begin in the spring and take two years.",
    "Fishermen welcomed the decision, saying the dark tower had been a hazard for boats returning at night.",
  ],
};

export const HOSTILE = {
  id: "hostile-markup",
  title: "<script>alert('title')</script> Council <b>minutes</b>",
  paragraphs: [
    "The council met <script>alert(1)</script> on Monday to discuss the ferry timetable for the winter months.",
    "Residents <img src=x onerror=alert(2)> asked for an earlier ferry; \"quoted\" & 'single' <a href=\"javascript:alert(3)\">link</a>.",
    '<iframe src="https://evil.example/"></iframe><link rel="stylesheet" href="https://evil.example/x.css"><svg onload=alert(4)></svg> the ferry.',
  ],
};

export const coverageFile = (...records: object[]) => ({ name: "coverage.jsonl", bytes: new TextEncoder().encode(records.map((r) => JSON.stringify(r)).join("\n")) });
