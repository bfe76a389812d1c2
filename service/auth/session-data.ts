// What the service keeps in a session: only who signed in.
import 'express-session';

declare module 'express-session' {
  interface SessionData {
    userId: string;
  }
}
