// Package email sends Pukeko's email: messages rendered from the embedded
// templates of assets/email, queued as rows of email_messages in the same
// transaction as what they tell of, and delivered to the configured SMTP
// server by a Stator graph that retries with backoff. A crash never loses
// a queued message; at worst one is sent twice.
//
// With no SMTP host configured the server sends nothing: nothing asks for
// confirmation, and queued messages wait.
package email
