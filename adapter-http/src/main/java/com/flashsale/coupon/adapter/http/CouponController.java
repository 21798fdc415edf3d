package com.flashsale.coupon.adapter.http;

import com.flashsale.coupon.domain.CouponName;
import com.flashsale.coupon.domain.CreateCoupon;
import com.flashsale.coupon.domain.port.in.FlashSale;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The coupon API. Thin on purpose: parse, call the {@link FlashSale} port, map the outcome. Every
 * handler returns a stage, so no Netty event-loop thread waits on the store or on Kafka.
 */
@Controller("/api/coupons")
public final class CouponController {

    private final FlashSale flashSale;
    private final AdminAccess adminAccess;
    private final ClaimEndpoint claims;
    private final FinalCouponAnswers finalCoupons = new FinalCouponAnswers(FinalCouponAnswers.DEFAULT_MAX_BYTES);

    CouponController(FlashSale flashSale, AdminAccess adminAccess, ClaimEndpoint claims) {
        this.flashSale = flashSale;
        this.adminAccess = adminAccess;
        this.claims = claims;
    }

    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a coupon with a fixed stock",
            requestBody = @RequestBody(required = true, content = @Content(
                    schema = @Schema(implementation = CreateCouponBody.class))))
    // the token is needed only when the service has an ADMIN_TOKEN: the empty requirement says "or none"
    @SecurityRequirement(name = AdminAccess.SCHEME)
    @SecurityRequirement(name = "")
    @ApiResponse(responseCode = "201", description = "Created; Location names the coupon",
            content = @Content(schema = @Schema(implementation = CouponResponse.class)))
    @ApiResponse(responseCode = "400", description = "invalid_request: malformed body, or a field missing, of the wrong type or outside its limits",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "401", description = "unauthorized: the service has an ADMIN_TOKEN and the request sent no bearer token",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "403", description = "forbidden: the bearer token is not the ADMIN_TOKEN",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "409", description = "coupon_exists: another request created a coupon of this name",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "413", description = "payload_too_large", content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "415", description = "unsupported_media_type", content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "406", description = "not_acceptable: the Accept header allows no application/json",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "500", description = "internal_error", content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "503", description = "overloaded: a queue bound was reached and nothing was done; send it again after Retry-After",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "504", description = "timeout: no answer before the deadline; the outcome is unknown, and repeating the request (with its Idempotency-Key) is safe",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public CompletionStage<HttpResponse<?>> create(@Parameter(hidden = true) HttpRequest<?> request,
                                                   @Parameter(hidden = true) @Nullable @Body byte[] body,
                                                   @Parameter(description = "Optional; the same request with the same key answers as the first try did; another request with it is simply another request",
                                                           schema = @Schema(type = "string", minLength = 1, maxLength = 64))
                                                  @Nullable @Header(IdempotencyKeys.HEADER) String idempotencyKey,
                                                   @Parameter(hidden = true) @Nullable @Header("Authorization") String authorization) {
        Optional<HttpResponse<?>> refused = adminAccess.refusal(authorization, "creating a coupon");
        if (refused.isPresent()) {
            return CompletableFuture.completedFuture(refused.get());
        }
        return withJsonBody(request, () -> {
            CreateCouponRequest parsed = CreateCouponRequest.parse(body);
            CreateCoupon create = parsed.toDomain(IdempotencyKeys.requestId(idempotencyKey, "create",
                    List.of(parsed.name(), Long.toString(parsed.amount()))));
            return Answers.handle(flashSale.create(create), "create " + create.name(), create.requestId(),
                    outcome -> outcome.fold(
                            created -> HttpResponse.created(CouponResponse.from(created.coupon()),
                                    URI.create("/api/coupons/" + created.coupon().name().value())),
                            exists -> Answers.error(HttpStatus.CONFLICT, ErrorCodes.COUPON_EXISTS,
                                    "a coupon named " + exists.name() + " already exists")));
        });
    }

    @Post(uri = "/claim", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Claim one coupon for one user",
            requestBody = @RequestBody(required = true, content = @Content(
                    schema = @Schema(implementation = ClaimCouponBody.class))))
    @ApiResponse(responseCode = "200", description = "The user holds the coupon",
            content = @Content(schema = @Schema(implementation = ClaimResponse.class)))
    @ApiResponse(responseCode = "400", description = "invalid_request: malformed body, or a field missing, of the wrong type or outside its limits",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "404", description = "coupon_not_found", content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "409", description = "already_claimed (the user holds it already) or sold_out",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "413", description = "payload_too_large", content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "415", description = "unsupported_media_type", content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "406", description = "not_acceptable: the Accept header allows no application/json",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "500", description = "internal_error", content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "503", description = "overloaded: a queue bound was reached and nothing was done; send it again after Retry-After",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "504", description = "timeout: no answer before the deadline; the outcome is unknown, and repeating the same claim is safe",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public CompletionStage<HttpResponse<?>> claim(@Parameter(hidden = true) HttpRequest<?> request,
                                                  @Parameter(hidden = true) @Nullable @Body byte[] body,
                                                  @Parameter(description = "Optional; the same request with the same key answers as the first try did; another request with it is simply another request",
                                                           schema = @Schema(type = "string", minLength = 1, maxLength = 64))
                                                  @Nullable @Header(IdempotencyKeys.HEADER) String idempotencyKey) {
        // most claims never reach this method: the fast path answers them first, the same way
        return withJsonBody(request, () -> claims.answer(body, idempotencyKey).thenApply(JsonAnswer::toResponse));
    }

    @Get(uri = "/{name}", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Read a coupon, its remaining stock and its holders in claim order")
    @ApiResponse(responseCode = "200", description = "The coupon; claimed_by is [] when nobody holds it",
            content = @Content(schema = @Schema(implementation = CouponResponse.class)))
    @ApiResponse(responseCode = "404", description = "coupon_not_found", content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "406", description = "not_acceptable: the Accept header allows no application/json",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "500", description = "internal_error", content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "503", description = "overloaded: a queue bound was reached and nothing was done; send it again after Retry-After",
            content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "504", description = "timeout: no answer before the deadline", content = @Content(schema = @Schema(implementation = ErrorBody.class)))
    public CompletionStage<HttpResponse<?>> get(@PathVariable("name") String name) {
        if (!CouponName.isValid(name)) {
            return CompletableFuture.completedFuture(notFound(name));
        }
        byte[] kept = finalCoupons.get(name);
        if (kept != null) {
            return CompletableFuture.completedFuture(new JsonAnswer(HttpStatus.OK.getCode(), kept, false).toResponse());
        }
        return Answers.handle(flashSale.find(new CouponName(name)), "read " + name, null,
                found -> found.<HttpResponse<?>>map(coupon -> {
                    JsonAnswer answer = JsonAnswer.of(HttpStatus.OK, CouponResponse.from(coupon));
                    finalCoupons.offer(coupon, answer.body());
                    return answer.toResponse();
                }).orElseGet(() -> notFound(name)));
    }

    static String notFoundMessage(String name) {
        return "no coupon is named " + name;
    }

    private static HttpResponse<?> notFound(String name) {
        return Answers.error(HttpStatus.NOT_FOUND, ErrorCodes.COUPON_NOT_FOUND, notFoundMessage(name));
    }

    /** Runs {@code call}, or refuses at once: 415 without a JSON content type, 400 for a bad body. */
    private static CompletionStage<HttpResponse<?>> withJsonBody(
            HttpRequest<?> request, Supplier<CompletionStage<HttpResponse<?>>> call) {
        if (request.getContentType().isEmpty()) {
            return CompletableFuture.completedFuture(Answers.error(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    ErrorCodes.UNSUPPORTED_MEDIA_TYPE, "send the body as Content-Type: application/json"));
        }
        try {
            return call.get();
        } catch (InvalidRequestException e) {
            return CompletableFuture.completedFuture(HttpResponse.badRequest(e.toBody()));
        }
    }
}
