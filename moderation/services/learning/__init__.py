"""Learning from moderators: their decisions as labels, agreement with the policy, policy replay."""
