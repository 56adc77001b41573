/** "bot" beside a bot's name wherever a user is shown (User.isBot), so nobody takes an AI character for a person. */
export function BotBadge({ user }: { user: { readonly isBot?: boolean } }) {
  if (!user.isBot) return null;
  return (
    <span className="bot-badge" title="A bot: an AI character that answers when called">
      bot
    </span>
  );
}
