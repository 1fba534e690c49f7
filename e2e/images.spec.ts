// Images in a chat prompt, as an editor works with them: a file stored in the version, an image variable
// declared from its part, a bad URL named before saving; the preview, the saved version's view and the
// playground's image input show them.
import {
  checkedScreenshot,
  editorLoad,
  expect,
  screenshot,
  seedPrompt,
  signIn,
  test,
  versionContent,
} from "./fixtures";

// A 1×1 PNG: small enough to store in a version.
const png = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

test("an editor adds a stored image and an image variable to a message, previews and saves them", async ({
  page,
  seeded,
}) => {
  await seedPrompt(seeded, "claims/assess", [
    {
      type: "chat",
      template: [
        { role: "system", content: "You assess insurance claims." },
        { role: "user", content: "Assess the claim from {{customer}}." },
      ],
      variables: [{ name: "customer", type: "string", required: true }],
    },
  ]);
  await signIn(page, seeded.users.editor);
  await page.goto(`/${seeded.slug}/edit/claims/assess`);
  await expect(page.getByTestId("template-editor").first()).toHaveAttribute("data-ready", "true", {
    timeout: editorLoad,
  });

  // A file that is not an image is refused by name, before anything is saved.
  await page.getByLabel("Message 2 image file").setInputFiles({
    name: "notes.png",
    mimeType: "image/png",
    buffer: Buffer.from("<svg onload=alert(1)></svg>"),
  });
  await expect(page.getByRole("alert").filter({ hasText: "notes.png" })).toContainText(
    "the data is not a PNG, JPEG, GIF or WebP image",
  );
  await page
    .getByLabel("Message 2 image file")
    .setInputFiles({ name: "policy.png", mimeType: "image/png", buffer: png });
  await expect(page.getByTestId("image-draft").first().locator("img")).toBeVisible();

  // An image variable: declared from its part, as an image.
  await page.getByRole("button", { name: "+ Image variable" }).nth(1).click();
  await page.getByLabel("Message 2 image 2 variable name").pressSequentially("photo", { delay: 20 });
  await page.getByRole("button", { name: "Declare photo" }).click();
  await expect(page.getByLabel("Type").last()).toHaveValue("image");

  // A URL that is not https: is named at once.
  await page.getByRole("button", { name: "+ Image URL" }).nth(1).click();
  await page.getByLabel("Message 2 image 3 URL").fill("http://10.0.0.1/inside.png");
  await expect(page.getByText(/an image must be an https: URL/).first()).toBeVisible();
  await page.getByRole("button", { name: "Remove message 2 image 3" }).click();

  await page.locator("#sample-customer").fill("Ada");
  await page.locator("#sample-photo").fill("https://img.example.com/dent.jpg");
  const preview = page.getByTestId("preview-output");
  await expect(preview).toContainText("Assess the claim from Ada.");
  await expect(preview.getByTestId("image-part")).toHaveCount(2);
  await expect(preview.getByTestId("image-part").first().locator("img")).toBeVisible();
  await expect(preview.getByTestId("image-part").nth(1)).toContainText("https://img.example.com/dent.jpg");
  await checkedScreenshot(page, "images-editor");

  await page.getByLabel("Commit message").fill("Look at the policy card and the photo");
  await page.getByRole("button", { name: "Save as new version" }).click();
  await page.waitForURL(new RegExp(`/${seeded.slug}/prompts/claims/assess`));
  expect(await versionContent(seeded, "claims/assess", 2)).toMatchObject({
    template: [
      { role: "system", content: "You assess insurance claims." },
      {
        role: "user",
        content: [
          { type: "text", text: "Assess the claim from {{customer}}." },
          { type: "image", url: `data:image/png;base64,${png.toString("base64")}` },
          { type: "image", variable: "photo" },
        ],
      },
    ],
    variables: [
      { name: "customer", type: "string" },
      { name: "photo", type: "image", required: true },
    ],
  });

  // The version's view: the stored image as a thumbnail, the variable by name; the diff names both.
  await page.goto(`/${seeded.slug}/prompts/claims/assess?show=2`);
  const message = page.getByTestId("prompt-message").nth(1);
  await expect(message.getByTestId("image-part").first().locator("img")).toBeVisible();
  await expect(message.getByTestId("image-part").nth(1)).toContainText("{{photo}}");
  await expect(page.getByTestId("version-2")).toBeVisible();
  await screenshot(page, "images-version");

  // The playground takes the image variable as a chosen file.
  const playground = page.locator("#playground");
  await playground
    .getByLabel("photo image file")
    .setInputFiles({ name: "dent.png", mimeType: "image/png", buffer: png });
  await expect(playground.getByRole("img", { name: /photo: the chosen image/ })).toBeVisible();
  await checkedScreenshot(page, "images-playground");
});
