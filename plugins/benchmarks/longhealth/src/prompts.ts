/**
 * LongHealth's prompts (kbressem/LongHealth `utils.py`: SYSTEM_PROMPT, PROMPT_TEMPLATE), byte for
 * byte as the copies that state they were lifted from that file give them (TIO-IKIM/CLUE
 * eval/eval_LongHealth.py, rballachay/DrLongHealth src/utils.py, MedARC med-lm-envs' review of the
 * original): the official repository itself was not reachable from here, see the README.
 * LOOM-Scope imports the same two names from its own `utils/tools.py`.
 */

/** The system message every LongHealth query is sent with (leading and trailing newline included). */
export const SYSTEM_PROMPT = `
You are a highly skilled and detail-oriented assistant, specifically trained to assist medical professionals in interpreting and extracting key information from medical documents. Your primary responsibility will be to analyze discharge letters from hospitals. When you receive one or more of these letters, you will be expected to carefully review the contents and accurately answer multiple-choice questions related to these documents. 

Your answers should be:
1. Accurate: Make sure your answers are based on the information provided in the letters.
2. Concise: Provide brief and direct answers without unnecessary elaboration.
3. Contextual: Consider the context and specifics of each question to provide the most relevant information.

Remember, your job is to streamline the physician's decision-making process by providing them with accurate and relevant information from discharge summaries. Efficiency and reliability are key.
`;

/** The user message: `str.format` with `documents`, `question_text`, `options`. */
export const PROMPT_TEMPLATE = `
--------------BEGIN DOCUMENTS--------------

{documents}

--------------END DOCUMENTS--------------

{question_text}
{options}

Please answer using the following format:
1. Begin your answer with the phrase "The correct answer is".
2. State the letter of the correct option (e.g., A, B, C, D, E).
3. Follow the letter with a colon and the exact text of the option you chose.
4. Make sure your answer is a single, concise sentence.

For example, if the correct answer to a question is option C, and the text for C is 'Acute Bronchitis', your answer should be: 
'The correct answer is C: Acute bronchitis.'
`;

/** `create_prompt`'s default separator, and the text of option F in tasks 2 and 3. */
export const SEPARATOR = "--------------";
export const UNANSWERABLE = "Question cannot be answered with provided documents";
