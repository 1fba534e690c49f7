-- Labels given through an API key count for the member who made the key (lib/evaluation/online/annotations.ts):
-- one label per person per output, the latest. Where a person labelled one output several times (as
-- themselves and through keys), the latest label stays and the older ones go, as a new label replaces theirs.
DELETE FROM annotations WHERE id IN (
  SELECT id FROM (
    SELECT a.id, row_number() OVER (
      PARTITION BY a.sample_id, a.run_item_id, coalesce('user:' || k.created_by::text, a.labeller)
      ORDER BY a.updated_at DESC, a.id DESC
    ) AS rn
    FROM annotations a
    LEFT JOIN api_keys k ON a.labeller = 'key:' || k.id::text AND k.created_by IN (SELECT id FROM users)
  ) ranked WHERE rn > 1
);
--> statement-breakpoint
UPDATE annotations a SET labeller = 'user:' || k.created_by::text, user_id = k.created_by,
  labeller_name = u.email || ' (API key ' || k.name || ')'
FROM api_keys k JOIN users u ON u.id = k.created_by
WHERE a.labeller = 'key:' || k.id::text;
