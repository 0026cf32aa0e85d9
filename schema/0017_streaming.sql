-- Reserved for the client API work in progress.
SELECT 1;
