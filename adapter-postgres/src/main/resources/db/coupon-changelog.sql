--liquibase formatted sql

--changeset flashsale:1-coupons
--comment: One row a coupon. The stock can never go below zero, nor above what was issued.
CREATE TABLE coupons (
    name             varchar(64)  PRIMARY KEY,
    amount           integer      NOT NULL CHECK (amount BETWEEN 1 AND 100000),
    remaining_amount integer      NOT NULL CHECK (remaining_amount >= 0),
    created_at       timestamptz  NOT NULL DEFAULT now(),
    request_id       varchar(64)  NOT NULL,
    CONSTRAINT coupons_remaining_within_amount CHECK (remaining_amount <= amount)
);

--changeset flashsale:2-claims
--comment: One row a granted claim; a user holds a coupon at most once. Ids follow batch order.
CREATE TABLE claims (
    id          bigint       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     varchar(64)  NOT NULL,
    coupon_name varchar(64)  NOT NULL REFERENCES coupons (name),
    claimed_at  timestamptz  NOT NULL DEFAULT now(),
    request_id  varchar(64)  NOT NULL,
    CONSTRAINT claims_user_coupon_key UNIQUE (user_id, coupon_name)
);

--changeset flashsale:3-claims-by-coupon
--comment: claimed_by in claim order from the index alone (index-only scan).
CREATE INDEX claims_by_coupon_in_order ON claims (coupon_name, claimed_at, id) INCLUDE (user_id);
