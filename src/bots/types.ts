/**
 * The companion's shared shapes (issue 15): a character card, a model
 * engine, a prompt's inputs, a bot as the read model holds it, and a draft.
 * The parts that implement them (characterCard.ts, prompt.ts,
 * openaiEngine.ts, the bot events in src/modules, the reactor, the drafts
 * service) depend on this file, not on each other.
 */

/** `data` of a Character Card V2, validated (characterCard.ts); absent optional strings read as ''. */
export interface CharacterCardData {
  readonly name: string;
  readonly description: string;
  readonly personality: string;
  readonly scenario: string;
  readonly first_mes: string;
  readonly mes_example: string;
  readonly creator_notes: string;
  readonly system_prompt: string;
  readonly post_history_instructions: string;
  readonly alternate_greetings: readonly string[];
  readonly tags: readonly string[];
  readonly creator: string;
  readonly character_version: string;
  readonly extensions: Readonly<Record<string, unknown>>;
}

/** A Character Card V2 (https://github.com/malfoyslastname/character-card-spec-v2). */
export interface CharacterCard {
  readonly spec: 'chara_card_v2';
  readonly spec_version: '2.0';
  readonly data: CharacterCardData;
}

/** One turn of a Chat Completions prompt. `name` is a speaker name some servers use (a-z, A-Z, 0-9, _ and -, ≤ 64). */
export interface ChatTurn {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
  readonly name?: string;
}

export interface EngineRequest {
  readonly messages: readonly ChatTurn[];
  /** The most tokens the reply may take (the model's max_tokens). */
  readonly maxTokens: number;
  /** Aborted at the deadline (THRDS_LLM_TIMEOUT_MS) or when the server stops: the stream must end with an error. */
  readonly signal: AbortSignal;
}

/** A model that writes a reply piece by piece. */
export interface ChatEngine {
  /** For logs and `thrds bot list`, e.g. "openai-compatible http://127.0.0.1:11434/v1 llama3.2". Never holds the key. */
  readonly description: string;
  /** Yields the reply's text pieces as the model writes them; fails with EngineError. */
  stream(request: EngineRequest): AsyncIterable<string>;
}

/** A model that failed: down, refused, timed out, or answered something that is not a Chat Completions stream. */
export class EngineError extends Error {
  constructor(
    message: string,
    /** Worth trying again later (down, timed out, 429, 5xx, garbage); false for 4xx other than 408/429. */
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EngineError';
  }
}

/** A message of the thread as the prompt sees it. */
export interface PromptMessage {
  readonly authorId: string;
  /** The author's display name. */
  readonly authorName: string;
  readonly body: string;
}

export interface PromptInput {
  readonly card: CharacterCard;
  /** The bot's user id: its own messages become assistant turns. */
  readonly botId: string;
  /** Who called the bot ({{user}}): their display name. */
  readonly userName: string;
  readonly threadTitle: string;
  /** The thread's recent messages, oldest first, ending with the one that called the bot. */
  readonly recent: readonly PromptMessage[];
  /** The prompt's budget in tokens (estimated): the newest messages that fit are kept. */
  readonly tokenBudget: number;
}

/** A bot as the read model holds it (table `bots`). */
export interface BotRow {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly card: CharacterCard;
  readonly addedAt: number;
  /** Position of its BotAdded event: it answers nothing before it. */
  readonly position: number;
  /** When `thrds bot remove` retired it; null while active. */
  readonly removedAt: number | null;
}

/** A bot's reply while the model writes it: delivered on `threadEvents` as BotDraft, never in the log. */
export interface BotDraftValue {
  readonly kind: 'BotDraft';
  readonly threadId: string;
  readonly botId: string;
  /** The message being answered: the reply will carry it as replyToId. */
  readonly replyToId: string;
  /** The whole text so far (not a delta): a client that missed a draft loses nothing. */
  readonly text: string;
  /** The bot stopped writing: its reply follows in the log, or (it gave up) nothing does. */
  readonly ended: boolean;
}

/** Drafts shared by every instance (through Redis when there is one). */
export interface BotDrafts {
  publish(draft: BotDraftValue): void;
  /** Calls `listener` with each draft published for `threadId` from now on; returns the unsubscribe. */
  watch(threadId: string, listener: (draft: BotDraftValue) => void): () => void;
  close(): Promise<void>;
}

export const isBotDraft = (value: unknown): value is BotDraftValue =>
  typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'BotDraft';
