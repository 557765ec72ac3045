package io.greenlight;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
@SpringBootApplication
public class GreenlightApplication {
  public static void main(String[] args) { SpringApplication.run(GreenlightApplication.class, args); }
}
