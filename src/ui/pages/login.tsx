/** The login form: paste the token (or open the login URL printed when it was made, which fills it in). */
export function LoginForm(props: { message: string }) {
  return (
    <section class="notice login">
      <h1>Log in to flow</h1>
      <p>{props.message}</p>
      <form method="post" action="/ui/login">
        <label>
          Token
          <input type="password" name="token" autocomplete="current-password" required />
        </label>
        <button type="submit">Log in</button>
      </form>
      <p class="muted">
        The token is in <code>FLOW_HOME/ui-token</code>; the server printed a login URL with it when it made it.
      </p>
    </section>
  );
}
