/**
 * The web app's side of resuming a subscription from the last position it
 * delivered (createThrdsClient.ts binds `after` to the cursor, and
 * useResumableSubscription.ts moves it): the same cursor outside clients use,
 * from resume.ts.
 */
export { advance, createResumeCursor, withLiveAfter, type ResumeCursor } from './resume.ts';
