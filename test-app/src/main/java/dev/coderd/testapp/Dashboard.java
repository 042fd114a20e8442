package dev.coderd.testapp;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The dashboard's entry page, as coderd serves its SPA at {@code /}: a framework route mapped to the root. */
@RestController
public class Dashboard {
    @GetMapping("/")
    public String index() {
        return "coderd test-app dashboard\n";
    }
}
